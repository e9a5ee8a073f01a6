namespace OneForm.Sharing;

/// <summary>Departments take what they need: grants between departments and reading values through them.</summary>
public static class SharingModule
{
    public static IServiceCollection AddSharing(this IServiceCollection services)
    {
        services.AddScoped<SharingPolicy>();
        services.AddScoped<GrantWorkflow>();
        services.AddScoped<FormViews>();
        services.AddScoped<Statistics>();
        // Statistics answers, kept in this process only: each is checked against the database's data version on every
        // request (see StatisticsCache.cs), so no shared cache is needed for two app nodes to answer alike. A
        // prefecture-wide table is a few megabytes.
        services.AddHybridCache(o => o.MaximumPayloadBytes = 256 * 1024 * 1024);
        services.AddScoped<Dictionary.Validation.IHeldValues, HeldValues>();
        services.AddScoped<WebhookDispatcher>();
        services.AddScoped<SubmissionWebhooks>();
        services.AddScoped<Collection.ISubmissionAccepted>(sp => sp.GetRequiredService<SubmissionWebhooks>());
        services.AddScoped<Collection.ISubmissionReopened>(sp => sp.GetRequiredService<SubmissionWebhooks>());
        services.AddScoped<RosterExporter>();
        services.AddScoped<Exports>();
        services.AddSingleton<ExportSignal>();
        services.AddHostedService<ExportService>();
        services.AddSingleton<WebhookTargets>();
        // Every connection goes through the target check; no redirects (a 3xx could point inside) and no proxy
        // (the check must see the target itself, not the proxy).
        services.AddHttpClient("webhooks", client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<WebhookTargets>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
            });
        services.AddHostedService<WebhookService>();
        services.AddHostedService<VillageRollupService>();
        return services;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder routes)
    {
        routes.MapSharingApi();
        routes.MapWebhooksApi();
        routes.MapRosterExport();
        routes.MapExportsApi();
        routes.MapFormViews();
        return routes;
    }
}
