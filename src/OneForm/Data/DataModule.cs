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

        switch (settings.Provider)
        {
            case DatabaseProvider.Postgres:
                services.AddDbContext<OneFormDbContext, PostgresOneFormDbContext>(o => o.UseNpgsql(settings.ConnectionString));
                break;
            default:
                services.AddDbContext<OneFormDbContext, SqliteOneFormDbContext>(o => o.UseSqlite(settings.ConnectionString).AddInterceptors(new SqliteConnectionSettings()));
                break;
        }

        ReadDatabase.Register(services, settings);

        // Keys live in the database, so every app instance can read every other's cookies and tokens.
        services.AddDataProtection().SetApplicationName("OneForm").PersistKeysToDbContext<OneFormDbContext>();
        services.AddScoped<DatabaseSetup>();
        return services;
    }
}
