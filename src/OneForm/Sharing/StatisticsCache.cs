using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using OneForm.Organization;
using OneForm.Data;

namespace OneForm.Sharing;

/// <summary>
/// Repeated statistics are answered from the cache, and never with a figure older than the database's.
/// <para>
/// An entry is kept per query and caller, and holds the data version it was computed at; every request reads the
/// current version first (two index look-ups) and recomputes when it differs. The version is read from the database the
/// figures come from, never from this process's memory, so a value saved through another app node changes it too and a
/// node's local cache stays correct without telling the others. One entry per query and caller, replaced when the
/// version moves, keeps memory to the distinct queries asked, where a key per version would leave a superseded table
/// (megabytes for a prefecture) behind after every save of a deadline surge.
/// </para>
/// <para>
/// The version is: the last place of the change cursor and the count of committed changes not yet placed (see
/// ValueChangeOrder), so a value written is in the next answer; the last audit entry (every tracked change writes one: a task accepted, an
/// element or unit edited, a grant decided); the department's grants in force and today's date (a grant that expires
/// at midnight or is revoked ends reading at once, as it does without the cache). The caller's whole scope is part of
/// the key, so two callers of different scope never share an entry.
/// </para>
/// </summary>
public sealed partial class Statistics
{
    /// <summary>A cached answer and the data version it was computed at.</summary>
    [System.ComponentModel.ImmutableObject(true)]
    internal sealed record Cached<T>(string Version, T? Answer) where T : class
    {
        private byte[]? json;

        /// <summary>
        /// The answer as JSON without its freshness, written once per entry: a prefecture's table is 1.5 MB of JSON, and
        /// writing it again for every hit was most of a warm answer's time. Two requests racing here both write the same bytes.
        /// </summary>
        public byte[] Json(JsonSerializerOptions options) => json ??= JsonSerializer.SerializeToUtf8Bytes(Answer, options);
    }

    // In this process only, even if a distributed cache is registered one day: the version check makes a shared copy
    // unnecessary, and a prefecture-wide table is megabytes to serialize.
    private static readonly HybridCacheEntryOptions Kept = new()
    {
        Expiration = TimeSpan.FromMinutes(10),
        LocalCacheExpiration = TimeSpan.FromMinutes(10),
        Flags = HybridCacheEntryFlags.DisableDistributedCache,
    };

    public async Task<StatisticsTable?> RunAsync(CallerScope scope, StatisticsQuery query)
    {
        var freshness = await source.FreshnessAsync();
        var table = await CachedAsync(scope, $"table|{Describe(query)}", () => ComputeTableAsync(scope, query));
        return table is null ? null : table with { DataAsOf = freshness.AsOf, ReplicaLagSeconds = freshness.LagSeconds };
    }

    /// <summary>
    /// The table as the API answers it: the cached JSON with this request's freshness appended, so a cache hit writes
    /// no figure again. The table itself is returned too, for the caller's refusals (unknown unit, nothing granted).
    /// </summary>
    public async Task<(StatisticsTable? Table, byte[] Json)> RunJsonAsync(CallerScope scope, StatisticsQuery query, JsonSerializerOptions options)
    {
        var freshness = await source.FreshnessAsync();
        var entry = await CachedEntryAsync(scope, $"table|{Describe(query)}", () => ComputeTableAsync(scope, query));
        if (entry.Answer is null)
        {
            return (null, []);
        }
        // The cached table leaves out its freshness (null, not written): its closing brace gives way to this request's.
        var table = entry.Json(options);
        var tail = JsonSerializer.SerializeToUtf8Bytes(new Freshness(freshness.AsOf, freshness.LagSeconds), options);
        var json = new byte[table.Length + tail.Length - 1];
        table.AsSpan(0, table.Length - 1).CopyTo(json);
        json[table.Length - 1] = (byte)',';
        tail.AsSpan(1).CopyTo(json.AsSpan(table.Length));
        return (entry.Answer with { DataAsOf = freshness.AsOf, ReplicaLagSeconds = freshness.LagSeconds }, json);
    }

    /// <summary>The freshness members of an answer, in the order and spelling of <see cref="StatisticsTable"/>.</summary>
    private sealed record Freshness(DateTimeOffset? DataAsOf, double? ReplicaLagSeconds);

    public Task<StatisticsDrill?> DrillAsync(CallerScope scope, StatisticsQuery query, string? under, bool withoutData, int page, int pageSize = 50) =>
        CachedAsync(scope, $"drill|{Describe(query)}|{under}|{withoutData}|{page}|{pageSize}", () => ComputeDrillAsync(scope, query, under, withoutData, page, pageSize));

    /// <summary>How current the figures are: read before them, so they are at least this fresh.</summary>
    public Task<DataFreshness> FreshnessAsync() => source.FreshnessAsync();

    private async Task<T?> CachedAsync<T>(CallerScope scope, string what, Func<Task<T?>> compute) where T : class =>
        (await CachedEntryAsync(scope, what, compute)).Answer;

    private async Task<Cached<T>> CachedEntryAsync<T>(CallerScope scope, string what, Func<Task<T?>> compute) where T : class
    {
        var version = await VersionAsync(scope);
        var key = "statistics:" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(
            $"{scope.Role}|{scope.OrgUnitId}|{scope.OrgUnitPath}|{scope.DepartmentId}|{scope.IsAccessToken}|{what}")));
        var computedHere = false;
        var entry = await cache.GetOrCreateAsync(key, async _ =>
        {
            computedHere = true;
            return new Cached<T>(version, await compute());
        }, Kept);
        if (entry.Version == version || computedHere)
        {
            return entry;
        }
        entry = new Cached<T>(version, await compute());
        await cache.SetAsync(key, entry, Kept);
        return entry;
    }

    private async Task<string> VersionAsync(CallerScope scope)
    {
        // Read-only, so it works on the read replica too: a committed change is either placed (the highest place moves)
        // or not yet (the count of unplaced ones grows), and a placement that lowers that count raises the highest place.
        var placed = await db.DataValueChanges.MaxAsync(c => c.Sequence) ?? 0;
        var unplaced = await db.DataValueChanges.CountAsync(c => c.Sequence == null);
        var audit = await db.AuditEntries.MaxAsync(a => (long?)a.Id) ?? 0;
        var grants = await policy.GrantsInForceAsync(scope);
        return $"{placed}+{unplaced}|{audit}|{today.Today:yyyy-MM-dd}|{string.Join(',', grants)}";
    }

    private static string Describe(StatisticsQuery query) =>
        $"{string.Join(',', query.Elements)}|{query.UnitCode}|{query.Level}|{string.Join(',', query.Periods)}|{query.ByValue}|{query.AcceptedOnly}";
}
