using Microsoft.EntityFrameworkCore;
using OneForm.CommandLine;
using OneForm.Localization;

namespace OneForm.Data;

/// <summary>Brings the database to the current model, on either provider.</summary>
public sealed class DatabaseSetup(OneFormDbContext db, DatabaseSettings settings)
{
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            // Migrate compares the model with the last snapshot every time (a second of a command's start); a database
            // that already has every migration skips it.
            if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            await db.Dialect.PrepareAsync(db.Database, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException and not StartupProblem)
        {
            throw new StartupProblem(LocalizationModule.Localizer["Cannot prepare the {0} database ({1}): {2}",
                settings.Provider, settings.Describe(), e.GetBaseException().Message], e);
        }
    }
}
