using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace OneForm.Data;

public static class DataModule
{
    public static IServiceCollection AddOneFormData(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = DatabaseSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped(sp => new AuditActor(sp.GetService<IHttpContextAccessor>(), sp.GetRequiredService<TimeProvider>()));

        // Everything that differs between the providers is behind the dialect.
        var dialect = IDatabaseDialect.For(settings.Provider);
        services.AddSingleton(dialect);
        dialect.AddContext(services, settings.ConnectionString);

        ReadDatabase.Register(services, settings);

        // Keys live in the database, so every app instance can read every other's cookies and tokens.
        services.AddDataProtection().SetApplicationName("OneForm").PersistKeysToDbContext<OneFormDbContext>();
        services.AddScoped<DatabaseSetup>();
        services.AddScoped<Backup.Backups>();
        return services;
    }
}
