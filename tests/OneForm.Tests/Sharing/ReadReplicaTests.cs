using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OneForm.Collection;
using OneForm.Data;
using OneForm.Sharing;
using OneForm.Testing;
using OneForm.Tests.Collection;
using OneForm.Tests.Hosting;

namespace OneForm.Tests.Sharing;

/// <summary>A test that needs the PostgreSQL hot standby that ./test.sh starts beside the throwaway primary.</summary>
public sealed class PostgresStandbyFactAttribute : FactAttribute
{
    public const string Variable = "ONEFORM_TEST_POSTGRES_STANDBY";

    public PostgresStandbyFactAttribute()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: run the tests with ./test.sh, which starts a PostgreSQL hot standby beside the throwaway primary.";
        }
    }
}

/// <summary>
/// ConnectionStrings:OneFormReadOnly: statistics, roll-ups and the data API read from a real hot standby (streaming
/// replication) while every write goes to the primary, and the answer says how fresh it is.
/// </summary>
public sealed class ReadReplicaTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = TestJson.Options;

    [PostgresStandbyFact]
    public async Task Statistics_come_from_the_standby_with_their_freshness_while_saving_goes_to_the_primary()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Postgres);
        var primary = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        // CREATE DATABASE is replicated too: the standby has the same database under the same name.
        var standby = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(PostgresStandbyFactAttribute.Variable)) { Database = primary.Database };
        await using var app = await OneFormHost.StartOnAsync(database, settings: new Dictionary<string, string?> { ["ConnectionStrings:OneFormReadOnly"] = standby.ConnectionString });

        const string unit = "652301006010";
        var cadre = await PageSession.BearerAsync(app, (await app.CreateUserAsync(OneForm.Common.Role.Cadre, unit)).UserName!);
        var gatekeeper = await app.CreateUserAsync(OneForm.Common.Role.Gatekeeper);
        var reader = await PageSession.BearerAsync(app, gatekeeper.UserName!);
        var taskId = await Filling.TaskIdAsync(app, unit, "CJ-DJ-01");
        var task = await Filling.GetAsync(cadre, taskId);
        var query = $"elements=PARTY_MEMBERS_MOBILE&unit={unit}&level=Village&periods={task.Task.Period}";

        // Written through the API on the primary, then read from the standby once it has replayed the write.
        await SaveAsync(cadre, task, "5");
        await CaughtUpAsync(primary.ConnectionString, standby.ConnectionString);
        var table = (await reader.GetFromJsonAsync<StatisticsTable>($"/api/v1/statistics?{query}", Json))!;
        Assert.Equal(5, table.Total.Values[0]);
        Assert.NotNull(table.ReplicaLagSeconds);  // read from the replica, and says so
        Assert.NotNull(table.DataAsOf);

        // With the standby's replay paused, a save still succeeds (it went to the primary), and the figures stay those the
        // standby holds: they are read there, not on the primary.
        await ExecuteAsync(standby.ConnectionString, "SELECT pg_wal_replay_pause()");
        try
        {
            await SaveAsync(cadre, task, "6");
            Assert.Equal(6, await app.WithDbAsync(db => db.DataValues.Where(v => v.OrgUnit!.Code == unit
                && v.DataElement!.Code == "PARTY_MEMBERS_MOBILE" && v.PeriodCode == task.Task.Period).Select(v => v.Number).SingleAsync()));
            var paused = (await reader.GetFromJsonAsync<StatisticsTable>($"/api/v1/statistics?{query}", Json))!;
            Assert.Equal(5, paused.Total.Values[0]);
            var values = (await reader.GetFromJsonAsync<SharedValuesPage>(
                $"/api/v1/data/values?element=PARTY_MEMBERS_MOBILE&unit={unit}&period={task.Task.Period}", Json))!;
            Assert.Equal(5, Assert.Single(values.Items).Number);
            Assert.NotNull(values.ReplicaLagSeconds);
            var page = await (await PageSession.SignedInAsync(app, gatekeeper.UserName!)).GetHtmlAsync($"/Statistics?{query}");
            Assert.Contains("（只读副本，延迟约", page);
        }
        finally
        {
            await ExecuteAsync(standby.ConnectionString, "SELECT pg_wal_replay_resume()");
        }

        // Replayed: the next answer has the new value.
        await CaughtUpAsync(primary.ConnectionString, standby.ConnectionString);
        Assert.Equal(6, (await reader.GetFromJsonAsync<StatisticsTable>($"/api/v1/statistics?{query}", Json))!.Total.Values[0]);
    }

    private static async Task SaveAsync(HttpClient cadre, TaskDetail task, string value)
    {
        // The task as it is now (read on the primary), with the value's current version.
        task = await Filling.GetAsync(cadre, task.Task.Id);
        var saved = await cadre.PutAsJsonAsync($"/api/v1/tasks/{task.Task.Id}/values", new ValuesRequest([Filling.Change(task, "PARTY_MEMBERS_MOBILE", value)]));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
    }

    /// <summary>Waits (a minute at most) until the standby has replayed everything the primary had written when asked.</summary>
    private static async Task CaughtUpAsync(string primary, string standby)
    {
        string target;
        await using (var connection = new NpgsqlConnection(primary))
        {
            await connection.OpenAsync();
            // Where the last record was inserted, not where WAL has been written to: the test cluster commits
            // asynchronously (synchronous_commit=off), so a save's commit may be in WAL buffers, behind the write position.
            await using var command = new NpgsqlCommand("SELECT pg_current_wal_insert_lsn()::text", connection);
            target = (string)(await command.ExecuteScalarAsync())!;
        }
        await using var replica = new NpgsqlConnection(standby);
        await replica.OpenAsync();
        await using var replayed = new NpgsqlCommand("SELECT pg_last_wal_replay_lsn() >= @target::pg_lsn", replica);
        replayed.Parameters.AddWithValue("target", target);
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!(bool)(await replayed.ExecuteScalarAsync())!)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The standby did not replay up to {target} within a minute.");
            await Task.Delay(20);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
