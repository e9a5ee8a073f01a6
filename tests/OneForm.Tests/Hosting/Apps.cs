using OneForm.Data;
using OneForm.Testing;

namespace OneForm.Tests.Hosting;

/// <summary>One demo host per provider, shared by the tests of the collection; each test makes what else it needs.</summary>
public sealed class Apps : IAsyncLifetime
{
    private readonly Dictionary<DatabaseProvider, Task<OneFormHost>> hosts = [];
    private readonly Lock gate = new();

    public static TheoryData<DatabaseProvider> Providers => [DatabaseProvider.Sqlite, DatabaseProvider.Postgres];

    public Task<OneFormHost> GetAsync(DatabaseProvider provider)
    {
        lock (gate)
        {
            if (!hosts.TryGetValue(provider, out var host))
            {
                hosts[provider] = host = OneFormHost.StartAsync(provider);
            }
            return host;
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var host in hosts.Values)
        {
            await (await host).DisposeAsync();
        }
    }
}

[CollectionDefinition(nameof(AppsCollection))]
public sealed class AppsCollection : ICollectionFixture<Apps>;
