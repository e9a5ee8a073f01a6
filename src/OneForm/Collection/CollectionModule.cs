namespace OneForm.Collection;

public static class CollectionModule
{
    public static IServiceCollection AddCollection(this IServiceCollection services)
    {
        services.AddScoped<TaskOpener>();
        services.AddScoped<Catalog.IAdmittedForms>(sp => sp.GetRequiredService<TaskOpener>());
        services.AddScoped<ValueWriter>();
        services.AddScoped<SheetFilling>();
        services.AddScoped<Dictionary.IElementUses, ElementUses>();
        services.AddScoped<Registry.Derivation.IDerivedValues, DerivedValues>();
        services.AddScoped<TaskWorkflow>();
        services.AddScoped<Files.FormFiles>();
        services.AddHostedService<TaskOpeningService>();
        return services;
    }

    public static IEndpointRouteBuilder MapCollection(this IEndpointRouteBuilder routes)
    {
        routes.MapCollectionApi();
        routes.MapSheetsApi();
        routes.MapReceiptApi();
        return routes;
    }
}
