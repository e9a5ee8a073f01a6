using OneForm.CommandLine;
using OneForm.Localization;

namespace OneForm.Data;

/// <summary>Which database OneForm uses: <c>Database:Provider</c> (Sqlite or Postgres) and <c>ConnectionStrings:OneForm</c>.</summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
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
        return new DatabaseSettings(provider, connectionString);
    }

    /// <summary>The connection string without its password, for messages.</summary>
    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? ConnectionString
        : string.Join(';', ConnectionString.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
