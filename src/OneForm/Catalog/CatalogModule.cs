using OneForm.Catalog.Inventory;

namespace OneForm.Catalog;

public static class CatalogModule
{
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddScoped<LegacyInventoryImporter>();
        return services;
    }

    public static IEndpointRouteBuilder MapCatalog(this IEndpointRouteBuilder routes)
    {
        routes.MapCatalogApi();
        return routes;
    }
}
