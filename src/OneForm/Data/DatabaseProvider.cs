namespace OneForm.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
