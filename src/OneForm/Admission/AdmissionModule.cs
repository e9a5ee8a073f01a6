namespace OneForm.Admission;

/// <summary>Admission review (审核准入): departments propose forms, the analysis compares them with what is held, the gatekeeper decides.</summary>
public static class AdmissionModule
{
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.AddScoped<AdmissionAnalyzer>();
        services.AddScoped<AdmissionWorkflow>();
        return services;
    }

    public static IEndpointRouteBuilder MapAdmission(this IEndpointRouteBuilder routes)
    {
        routes.MapAdmissionApi();
        return routes;
    }
}
