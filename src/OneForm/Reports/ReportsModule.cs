namespace OneForm.Reports;

/// <summary>Reports (举报) of forms pushed without admission, their investigation, and the departments' annual assessment.</summary>
public static class ReportsModule
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddScoped<ReportWorkflow>();
        services.AddScoped<Assessment>();
        services.AddScoped<BurdenDashboard>();
        return services;
    }

    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder routes)
    {
        routes.MapReportsApi();
        return routes;
    }
}
