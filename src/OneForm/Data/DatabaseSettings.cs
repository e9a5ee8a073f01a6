using OneForm.CommandLine;
using OneForm.Localization;

namespace OneForm.Data;

/// <summary>
/// Which database OneForm uses: <c>Database:Provider</c> (Sqlite or Postgres) and <c>ConnectionStrings:OneForm</c>; and,
/// on PostgreSQL, <c>ConnectionStrings:OneFormReadOnly</c>, a hot standby for the reads that may trail (see <see cref="ReadDatabase"/>).
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, string? ReadOnlyConnectionString = null)
{
    public const string DefaultSqliteFile = "data/oneform.db";

    public static DatabaseSettings From(IConfiguration configuration)
    {
        var l = LocalizationModule.Localizer;
        var providerText = configuration["Database:Provider"];
        DatabaseProvider provider;
        if (string.IsNullOrWhiteSpace(providerText))
        {
            provider = DatabaseProvider.Sqlite;
        }
        else if (!Enum.TryParse(providerText, ignoreCase: true, out provider) || !Enum.IsDefined(provider) || int.TryParse(providerText, out _))
        {
            throw new StartupProblem(l["Unknown database provider '{0}' in Database:Provider; use Sqlite or Postgres.", providerText]);
        }

        var connectionString = configuration.GetConnectionString("OneForm");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider == DatabaseProvider.Postgres)
            {
                throw new StartupProblem(l["Database:Provider is Postgres but ConnectionStrings:OneForm is empty; set it, for example with the environment variable ConnectionStrings__OneForm."]);
            }
            var file = Path.GetFullPath(DefaultSqliteFile);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            connectionString = $"Data Source={file}";
        }
        var readOnly = configuration.GetConnectionString("OneFormReadOnly");
        if (string.IsNullOrWhiteSpace(readOnly))
        {
            readOnly = null;
        }
        else if (provider != DatabaseProvider.Postgres)
        {
            // Refused rather than ignored: whoever set it expects the statistics off the primary, and SQLite has no replica.
            throw new StartupProblem(l["ConnectionStrings:OneFormReadOnly names a PostgreSQL hot standby and works only with Database:Provider Postgres; remove it for SQLite."]);
        }
        return new DatabaseSettings(provider, connectionString, readOnly);
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? ConnectionString
        : string.Join(';', ConnectionString.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
