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
        services.AddScoped<Urging>();
        services.AddScoped<DeadlineReminders>();
        services.AddHostedService<DeadlineReminderService>();
        return services;
    }

    public static IEndpointRouteBuilder MapMessages(this IEndpointRouteBuilder routes)
    {
        routes.MapMessagesApi();
        return routes;
    }
}
