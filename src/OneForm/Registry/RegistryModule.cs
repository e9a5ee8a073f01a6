namespace OneForm.Registry;

public static class RegistryModule
{
    public static IServiceCollection AddRegistry(this IServiceCollection services)
    {
        services.AddSingleton<IdentityProtection>();
        services.AddScoped<ResidentImporter>();
        services.AddSingleton<ImportRunner>();
        services.AddScoped<Derivation.Deriver>();
        services.AddScoped<Unmasking>();
        services.AddScoped<AttributeImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder routes)
    {
        routes.MapRegistryApi();
        Derivation.RuleApi.MapRuleApi(routes);
        return routes;
    }
}
