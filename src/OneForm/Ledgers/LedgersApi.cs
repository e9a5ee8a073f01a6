using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using MiniExcelLibs;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Organization;

namespace OneForm.Ledgers;

internal static class LedgersApi
{
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapLedgersApi(this IEndpointRouteBuilder routes)
    {
        var ledgers = routes.MapGroup("/api/v1/ledgers").WithTags("Ledgers");
        ledgers.MapGet("/kinds", async (Ledgers all) => TypedResults.Ok((await all.KindsAsync()).Select(LedgerKindView.Of).ToList()))
            .WithSummary("The ledger kinds (台账种类) and their fields.")
            .Allow(Operations.LedgerKindsRead);
        ledgers.MapGet("/kinds/{id:int}", async Task<IResult> (int id, Ledgers all) =>
                await all.KindAsync(id) is { } kind ? TypedResults.Ok(LedgerKindView.Of(kind)) : TypedResults.NotFound())
            .WithSummary("One ledger kind and its fields.")
            .Allow(Operations.LedgerKindsRead);
        ledgers.MapPost("/kinds", async Task<IResult> (LedgerKindRequest request, Ledgers all) =>
            {
                var (kind, errors) = await all.DefineAsync(request);
                return kind is null ? TypedResults.ValidationProblem(errors) : TypedResults.Created($"/api/v1/ledgers/kinds/{kind.Id}", LedgerKindView.Of((await all.KindAsync(kind.Id))!));
            })
            .WithSummary("Define a ledger kind: its names, the department that owns it, and its fields (date, integer, decimal, text, option set; one required date field places each entry in a period).")
            .Allow(Operations.LedgerKindsChange);

        ledgers.MapGet("/entries", EntriesAsync)
            .WithSummary("A unit's entries of a ledger kind in a period (kind=, unit=, period=): for the unit, the reviewers above it and the department that owns the kind.")
            .Allow(Operations.LedgerEntriesRead);
        ledgers.MapGet("/entries.xlsx", XlsxAsync)
            .WithSummary("The same ledger as xlsx (台账): the unit, the period, each entry and who recorded it.")
            .Allow(Operations.LedgerEntriesRead);
        ledgers.MapGet("/entries/{id:long}", async Task<IResult> (long id, ClaimsPrincipal user, Ledgers all, ActorNames names) =>
                await all.FindAsync(user.Scope(), id) is { } entry ? TypedResults.Ok(await ViewAsync(entry, all, names, withHistory: true)) : TypedResults.NotFound())
            .WithSummary("One entry with its history (who changed what, when).")
            .Allow(Operations.LedgerEntriesRead);
        ledgers.MapPost("/entries", RecordAsync)
            .WithSummary("Record an entry of your unit's ledger: values by field name, checked against the kind's fields. The figures counted from the ledger follow.")
            .Allow(Operations.LedgerEntriesRecord);
        ledgers.MapPut("/entries/{id:long}", CorrectAsync)
            .WithSummary("Correct an entry of your unit's ledger: every value as it should be; the old values stay in its history.")
            .Allow(Operations.LedgerEntriesRecord);

        ledgers.MapGet("/rules", async (LedgerRules rules) => TypedResults.Ok(await rules.ListAsync()))
            .WithSummary("The ledger rules: which element each fills from which ledger or activity records, and how.")
            .Allow(Operations.LedgerKindsRead);
        ledgers.MapPost("/rules", async Task<IResult> (LedgerRuleRequest request, LedgerRules rules) =>
            {
                var (rule, errors) = await rules.SaveAsync(request);
                return rule is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok((await rules.ListAsync()).Single(r => r.Id == rule.Id));
            })
            .WithSummary("Save the rule of an element (count entries, sum a field, take the latest value, with filters on option fields); its figures are written at once.")
            .Allow(Operations.LedgerRulesChange);
        ledgers.MapPost("/rules/preview", async Task<IResult> (LedgerPreviewRequest request, LedgerRules rules) =>
            {
                var (rows, errors) = await rules.PreviewAsync(request);
                return rows is null ? TypedResults.ValidationProblem(errors) : TypedResults.Ok(rows);
            })
            .WithSummary("What a rule would give each village or community below a unit in a period, before it is saved.")
            .Allow(Operations.LedgerRulesChange);
    }

    public static async Task<LedgerEntryView> ViewAsync(LedgerEntry entry, Ledgers all, ActorNames names, bool withHistory)
    {
        var kind = entry.LedgerKind ?? (await all.KindAsync(entry.LedgerKindId))!;
        var history = withHistory ? await all.HistoryAsync(entry.Id) : [];
        await names.LoadAsync(history.Select(h => h.ChangedBy).Append(entry.CreatedBy).Append(entry.UpdatedBy));
        return new(entry.Id, entry.LedgerKindId, entry.OrgUnit!.Code, entry.OrgUnit.Name, entry.OccurredOn, Ledgers.Named(kind, entry.Values),
            names[entry.CreatedBy], entry.CreatedAt, names[entry.UpdatedBy], entry.UpdatedAt,
            withHistory
                ? [.. history.Select(h => new LedgerChangeView(h.OldValues is null ? null : Ledgers.Named(kind, h.OldValues), h.NewValues is null ? null : Ledgers.Named(kind, h.NewValues),
                    names[h.ChangedBy], h.ChangedAt))]
                : null);
    }

    /// <summary>The kind and unit asked for, when the caller may read that ledger; otherwise nothing (a 404).</summary>
    private static async Task<(LedgerKind? Kind, OrgUnit? Unit)> LedgerAsync(ClaimsPrincipal user, OneFormDbContext db, Ledgers all, int kind, string? unit)
    {
        var scope = user.Scope();
        var found = await all.KindAsync(kind);
        var owner = unit is { Length: > 0 } ? await OrgUnitQueries.ByCodeAsync(db, unit)
            : scope.OrgUnitId is { } own ? await OrgUnitQueries.ByIdAsync(db, own) : null;
        return found is not null && owner is not null && Ledgers.CanRead(scope, owner, found) ? (found, owner) : (null, null);
    }

    private static async Task<IResult> EntriesAsync(ClaimsPrincipal user, OneFormDbContext db, Ledgers all, ActorNames names, int kind, string? unit, string period)
    {
        if (!Period.TryParse(period, out var within))
        {
            return TypedResults.NotFound();
        }
        var (found, owner) = await LedgerAsync(user, db, all, kind, unit);
        if (found is null)
        {
            return TypedResults.NotFound();
        }
        var entries = await all.EntriesAsync(found.Id, owner!.Id, within);
        var views = new List<LedgerEntryView>();
        foreach (var entry in entries)
        {
            entry.LedgerKind = found;
            views.Add(await ViewAsync(entry, all, names, withHistory: false));
        }
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> XlsxAsync(ClaimsPrincipal user, OneFormDbContext db, Ledgers all, ActorNames names, IStringLocalizer<SharedResource> l,
        int kind, string? unit, string period)
    {
        if (!Period.TryParse(period, out var within))
        {
            return TypedResults.NotFound();
        }
        var (found, owner) = await LedgerAsync(user, db, all, kind, unit);
        if (found is null)
        {
            return TypedResults.NotFound();
        }
        var entries = await all.EntriesAsync(found.Id, owner!.Id, within);
        var bytes = await LedgerFile.XlsxAsync(found, owner, within, entries, names, l);
        return TypedResults.File(bytes, XlsxType, $"ledger-{found.Id}-{owner.Code}-{within}.xlsx");
    }

    private static async Task<IResult> RecordAsync(LedgerEntryRequest request, ClaimsPrincipal user, OneFormDbContext db, Ledgers all, ActorNames names)
    {
        var scope = user.Scope();
        var kind = await all.KindAsync(request.Kind);
        var unit = request.Unit is { Length: > 0 } code ? await OrgUnitQueries.ByCodeAsync(db, code)
            : scope.OrgUnitId is { } own ? await OrgUnitQueries.ByIdAsync(db, own) : null;
        if (kind is null || unit is null || !scope.CanFillFor(unit))
        {
            return TypedResults.NotFound();
        }
        var (entry, errors, reopened) = await all.RecordAsync(user.ActorId(), unit, kind, request.Values ?? new Dictionary<string, string?>());
        if (entry is null)
        {
            return TypedResults.ValidationProblem(errors);
        }
        entry.OrgUnit = unit;
        entry.LedgerKind = kind;
        return TypedResults.Created($"/api/v1/ledgers/entries/{entry.Id}", await ViewAsync(entry, all, names, withHistory: true) with { Reopened = reopened });
    }

    private static async Task<IResult> CorrectAsync(long id, LedgerEntryRequest request, ClaimsPrincipal user, Ledgers all, ActorNames names)
    {
        var scope = user.Scope();
        var entry = await all.FindAsync(scope, id);
        if (entry is null || !scope.CanFillFor(entry.OrgUnit!) || request.Kind != 0 && request.Kind != entry.LedgerKindId)
        {
            return TypedResults.NotFound();
        }
        var (errors, reopened) = await all.CorrectAsync(user.ActorId(), entry, entry.LedgerKind!, request.Values ?? new Dictionary<string, string?>());
        return errors.Count > 0 ? TypedResults.ValidationProblem(errors)
            : TypedResults.Ok(await ViewAsync(entry, all, names, withHistory: true) with { Reopened = reopened });
    }
}

/// <summary>A ledger as the xlsx departments used to ask for (台账自动生成): the unit and period on every row, the fields, who recorded each row.</summary>
internal static class LedgerFile
{
    public static async Task<byte[]> XlsxAsync(LedgerKind kind, OrgUnit unit, Period period, IReadOnlyList<LedgerEntry> entries, ActorNames names, IStringLocalizer l)
    {
        await names.LoadAsync(entries.Select(e => e.CreatedBy));
        var culture = CultureInfo.CurrentUICulture;
        var fields = kind.Fields.OrderBy(f => f.Position).ToList();
        var rows = entries.Select((e, i) =>
        {
            var values = e.ValueMap();
            var row = new Dictionary<string, object?> { [l["No."]] = i + 1, [l["Unit"]] = unit.Name, [l["Period"]] = period.ToString() };
            foreach (var field in fields)
            {
                var value = values.GetValueOrDefault(field.Id);
                row[field.DisplayName(culture)] = value is null ? null
                    : field.IsNumeric && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : value;
            }
            row[l["Recorded by"]] = names[e.CreatedBy];
            row[l["Recorded at"]] = e.CreatedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
            return row;
        }).ToList();
        if (rows.Count == 0)
        {
            // An empty ledger still shows its unit, period and columns.
            var empty = new Dictionary<string, object?> { [l["No."]] = null, [l["Unit"]] = unit.Name, [l["Period"]] = period.ToString() };
            foreach (var field in fields)
            {
                empty[field.DisplayName(culture)] = null;
            }
            empty[l["Recorded by"]] = null;
            empty[l["Recorded at"]] = null;
            rows.Add(empty);
        }
        using var stream = new MemoryStream();
        var sheet = kind.DisplayName(culture);
        MiniExcel.SaveAs(stream, new Dictionary<string, object> { [sheet.Length > 31 ? sheet[..31] : sheet] = rows });
        return stream.ToArray();
    }
}

public static class LedgersModule
{
    public static IServiceCollection AddLedgers(this IServiceCollection services)
    {
        services.AddScoped<LedgerValues>();
        services.AddScoped<IActivityCounts>(sp => sp.GetRequiredService<LedgerValues>());
        services.AddScoped<Collection.IElementOrigins, LedgerOrigins>();
        services.AddScoped<Ledgers>();
        services.AddScoped<LedgerRules>();
        return services;
    }

    public static IEndpointRouteBuilder MapLedgers(this IEndpointRouteBuilder routes)
    {
        routes.MapLedgersApi();
        return routes;
    }
}
