namespace OneForm.Messages;

/// <summary>
/// Messages and reminders: each person's message centre, told of what happens in the modules below through the
/// interfaces they own (Collection.ITaskStepTaken, Collection.ISubmissionReopened, ...), and the deadline reminders.
/// </summary>
public static class MessagesModule
{
    public static IServiceCollection AddMessages(this IServiceCollection services)
    {
        services.AddScoped<Inbox>();
        services.AddScoped<TaskMessages>();
        services.AddScoped<Collection.ITaskStepTaken>(sp => sp.GetRequiredService<TaskMessages>());
        services.AddScoped<Collection.ISubmissionReopened>(sp => sp.GetRequiredService<TaskMessages>());
        services.AddScoped<DecisionMessages>();
        services.AddScoped<Sharing.IGrantDecided>(sp => sp.GetRequiredService<DecisionMessages>());
        services.AddScoped<Sharing.IExportReady>(sp => sp.GetRequiredService<DecisionMessages>());
        services.AddScoped<Reports.IReportDecided>(sp => sp.GetRequiredService<DecisionMessages>());
        services.AddScoped<Urging>();
        services.AddScoped<DeadlineReminders>();
        services.AddHostedService<DeadlineReminderService>();

        // Channels beyond the app: web push and the units' messaging robots, sent from the outbox by a loop of their own.
        services.AddScoped<Channels.VapidKeys>();
        services.AddSingleton<Channels.PushTargets>();
        services.AddScoped<Channels.ChannelDelivery>();
        services.AddScoped<Channels.RobotChannels>();
        services.AddSingleton<Channels.ChannelSignal>();
        services.AddHostedService<Channels.ChannelDeliveryService>();
        // Every connection goes through the webhook target check (no address inside the network unless allowed in
        // Webhooks:AllowedHosts); no redirects and no proxy, as for the departments' webhooks.
        services.AddHttpClient(Channels.ChannelDelivery.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                ConnectCallback = sp.GetRequiredService<Sharing.WebhookTargets>().ConnectAsync,
                AllowAutoRedirect = false,
                UseProxy = false,
            });
        return services;
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder routes)
    {
        routes.MapMessagesApi();
        Channels.PushSubscriptionsApi.MapPushSubscriptionsApi(routes);
        return routes;
    }
}
