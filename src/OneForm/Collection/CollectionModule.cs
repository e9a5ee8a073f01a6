namespace OneForm.Collection;

public static class CollectionModule
{
    public static IServiceCollection AddCollection(this IServiceCollection services)
    {
        services.AddScoped<TaskOpener>();
        services.AddScoped<ValueWriter>();
        services.AddScoped<TaskWorkflow>();
        services.AddScoped<Files.FormFiles>();
        services.AddHostedService<TaskOpeningService>();
        return services;
    }

    public static IEndpointRouteBuilder MapCollection(this IEndpointRouteBuilder routes)
    {
        routes.MapCollectionApi();
        return routes;
    }
}
