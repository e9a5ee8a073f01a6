using OneForm.Accounts;
using OneForm.Collection;
using OneForm.Localization;
using OneForm.Demo;

namespace OneForm.Data;

/// <summary>
/// What runs before the server takes requests: migrate, then either seed the demo or make sure a first
/// administrator exists. Called by the <c>serve</c> verb and by the test hosts, never lazily by a request.
/// </summary>
public static class StartupPreparation
{
    public static async Task PrepareAsync(IServiceProvider root, bool demo, TextWriter output, CancellationToken cancellationToken = default)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<AuditActor>().ActAs(demo ? "seed:demo" : "startup");
        await services.GetRequiredService<DatabaseSetup>().MigrateAsync(cancellationToken);
        if (demo)
        {
            var catalog = ActivatorUtilities.CreateInstance<DemoCatalog>(services);
            var registry = ActivatorUtilities.CreateInstance<DemoRegistry>(services);
            await ActivatorUtilities.CreateInstance<DemoSeed>(services, catalog, registry).SeedAsync(cancellationToken);
            await ActivatorUtilities.CreateInstance<DemoLedgers>(services).SeedAsync(cancellationToken);
        }
        else
        {
            await ActivatorUtilities.CreateInstance<FirstAdministrator>(services).EnsureAsync(output);
        }
        // Tasks of the current periods exist before the first request; the hourly job keeps them coming.
        await services.GetRequiredService<TaskOpener>().OpenAsync(services.GetRequiredService<DisplayTime>().Today, cancellationToken);
        await services.GetRequiredService<Registry.Derivation.IDerivedValues>().RecomputeAsync(cancellationToken: cancellationToken);
    }
}
