using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
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
            // Npgsql finds out that the history table is missing by reading it and catching the error, which EF logs as a
            // failed command ("fail:") on every first start. Creating the empty table first, as Migrate itself would, leaves
            // nothing to fail. A database that does not exist yet is left to Migrate, which creates it.
            if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
            {
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
            }
            // A migration this build does not know was applied by another version: a newer one, or a development build
            // from before the migrations were folded into one baseline. Going on would run the baseline over tables that
            // already exist (or an old build over a newer schema), so it is refused in words the operator can act on.
            var applied = await db.Database.GetAppliedMigrationsAsync(cancellationToken);
            var known = db.Database.GetMigrations().ToList();
            var unknown = applied.Except(known).ToList();
            if (unknown.Count > 0)
            {
                throw new StartupProblem(LocalizationModule.Localizer[
                    "The {0} database ({1}) was migrated by another version of OneForm: this version does not know its migrations {2}. Run the version that made it, or start from a new, empty database (databases made by development builds before the baseline migration cannot be upgraded).",
                    settings.Provider, settings.Describe(), string.Join(", ", unknown)]);
            }
            // Migrate compares the model with the last snapshot every time (a second of a command's start); a database
            // that already has every migration skips it.
            if (known.Except(applied).Any())
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
