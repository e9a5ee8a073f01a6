namespace OneForm.Sharing;

/// <summary>Departments take what they need: grants between departments and reading values through them.</summary>
public static class SharingModule
{
    public static IServiceCollection AddSharing(this IServiceCollection services)
    {
        services.AddScoped<SharingPolicy>();
        services.AddScoped<GrantWorkflow>();
        services.AddScoped<Statistics>();
        services.AddScoped<WebhookDispatcher>();
        services.AddScoped<SubmissionWebhooks>();
        services.AddScoped<Collection.ISubmissionAccepted>(sp => sp.GetRequiredService<SubmissionWebhooks>());
        services.AddScoped<Collection.ISubmissionReopened>(sp => sp.GetRequiredService<SubmissionWebhooks>());
        services.AddScoped<RosterExporter>();
        services.AddScoped<Exports>();
        services.AddSingleton<ExportSignal>();
        services.AddHostedService<ExportService>();
        services.AddHttpClient("webhooks", client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddHostedService<WebhookService>();
        return services;
    }

    public static IEndpointRouteBuilder MapSharing(this IEndpointRouteBuilder routes)
    {
        routes.MapSharingApi();
        routes.MapWebhooksApi();
        routes.MapRosterExport();
        routes.MapExportsApi();
        return routes;
    }
}
