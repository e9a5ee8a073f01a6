using OneForm.Organization.Divisions;

namespace OneForm.Organization;

public static class OrganizationModule
{
    public static IServiceCollection AddOrganization(this IServiceCollection services)
    {
        services.AddScoped<DivisionImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapOrganization(this IEndpointRouteBuilder routes)
    {
        routes.MapOrgUnitApi();
        routes.MapUnitGroupApi();
        return routes;
    }
}
