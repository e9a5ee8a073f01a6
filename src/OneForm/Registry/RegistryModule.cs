namespace OneForm.Registry;

public static class RegistryModule
{
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddSingleton<IdentityProtection>();
        services.AddScoped<ResidentImporter>();
        services.AddSingleton<ImportRunner>();
        return services;
    }

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder routes)
    {
        routes.MapRegistryApi();
        return routes;
    }
}
