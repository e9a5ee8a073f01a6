using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Registry;

/// <summary>
/// A department loads person attributes in bulk: the first column is the identity number, each other column a
/// person-attribute element of the department (by code or name). Same checks, batches and rejected rows as the
/// registry import; the same file again changes nothing.
/// </summary>
public sealed class AttributeImporter(OneFormDbContext db, IdentityProtection protection, IStringLocalizer<SharedResource> l,
    DisplayTime displayTime, TimeProvider time, AuditActor actor, Derivation.IDerivedValues derived)
{
    public async Task<ImportBatch> ImportAsync(Stream file, string fileName, bool isXlsx, CallerScope scope, string startedBy,
        CancellationToken cancellationToken = default)
    {
        await protection.EnsureKeyAsync(db, cancellationToken);
        var now = time.GetUtcNow();
        var batch = new ImportBatch
        {
            Kind = "Attributes", FileName = Path.GetFileName(fileName), StartedBy = startedBy, StartedAt = now, UpdatedAt = now,
            TotalBytes = file.CanSeek ? file.Length : 0, State = BatchState.Running,
        };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);

        RegistryFile reader;
        try
        {
            reader = await RegistryFile.OpenAsync(file, isXlsx, MaxRows);
        }
        catch (UnreadableFileException e)
        {
            return await FinishAsync(batch, RegistryFile.Describe(e, l));
        }
        await using var _ = reader;
        if (reader.Header.Count < 2 || !ResidentImporter.Columns[0].Headers.Contains(reader.Header[0], StringComparer.OrdinalIgnoreCase))
        {
            return await FinishAsync(batch, l["The first column must be the identity number (身份证号), then one column per person attribute."]);
        }
        var attributes = await db.DataElements.AsNoTracking().Where(e => e.Source == ElementSource.PersonAttribute && !e.IsRetired).ToListAsync(cancellationToken);
        var columns = new List<DataElement>();
        foreach (var header in reader.Header.Skip(1))
        {
            var element = attributes.FirstOrDefault(e => e.Code == header || e.Name == header);
            if (element is null)
            {
                return await FinishAsync(batch, l["Column {0} is not a person attribute of the dictionary.", header]);
            }
            if (!scope.CanChangeDepartmentThing(element.OwnerDepartmentId) && scope.Role is not (Role.Administrator or Role.Gatekeeper))
            {
                return await FinishAsync(batch, l["{0} belongs to another department; only its owner loads it.", element.Name]);
            }
            columns.Add(element);
        }

        var today = displayTime.Today;
        var culture = CultureInfo.CurrentUICulture;
        string? unreadable = null;
        async Task<(int Line, string[] Fields)?> ReadAsync()
        {
            try
            {
                return await reader.ReadAsync(cancellationToken);
            }
            catch (UnreadableFileException e)
            {
                unreadable = RegistryFile.Describe(e, l);
                return null;
            }
        }
        var seen = new Dictionary<(ulong, ulong), int>();
        while (await ReadAsync() is var (line, fields))
        {
            batch.Read++;
            var problems = new List<ImportRejection>();
            void Reject(string? column, string? value, string reason) =>
                problems.Add(new ImportRejection { BatchId = batch.Id, Line = line, Column = Cut(column, 40), Value = Cut(value, 100), Reason = Cut(reason, 500)! });
            if (fields.Length != reader.Header.Count)
            {
                Reject(null, null, l["Line {0}: expected {1} columns, found {2}.", line, reader.Header.Count, fields.Length]);
            }
            else if (IdentityNumber.TryParse(fields[0], today, out var number) is not IdentityNumber.Problem.None)
            {
                Reject(reader.Header[0], IdentityNumber.Mask(fields[0].Trim()), l["Line {0}: the identity number is not a valid 18-digit number.", line]);
            }
            else if (seen.TryGetValue(protection.ShortHash(number.Value), out var first))
            {
                Reject(reader.Header[0], number.Masked, l["Line {0}: the same identity number as line {1}.", line, first]);
            }
            else
            {
                seen[protection.ShortHash(number.Value)] = line;
                var hash = protection.Hash(number.Value);
                var resident = await db.Residents.AsNoTracking().Where(r => r.IdentityHash == hash).Select(r => (long?)r.Id).SingleOrDefaultAsync(cancellationToken);
                if (resident is null)
                {
                    Reject(reader.Header[0], number.Masked, l["Line {0}: {1} is not in the population registry.", line, number.Masked]);
                }
                else
                {
                    var values = new List<(DataElement Element, string? Value)>();
                    for (var c = 0; c < columns.Count; c++)
                    {
                        var check = ValueRules.Check(columns[c], fields[c + 1], l, culture);
                        if (check.Problem is not null && fields[c + 1].Trim().Length > 0)
                        {
                            Reject(reader.Header[c + 1], fields[c + 1], l["Line {0}: {1}", line, check.Problem]);
                        }
                        else if (check.Value is { Length: > PersonAttribute.MaxValueLength })
                        {
                            Reject(reader.Header[c + 1], fields[c + 1], l["Line {0}: {1} is longer than {2} characters.", line, reader.Header[c + 1], PersonAttribute.MaxValueLength]);
                        }
                        else if (InputRules.Problem(check.Value, reader.Header[c + 1], l) is { } text)
                        {
                            Reject(reader.Header[c + 1], null, l["Line {0}: {1}", line, text]);
                        }
                        values.Add((columns[c], check.Value));
                    }
                    if (problems.Count == 0)
                    {
                        await ApplyAsync(batch, resident.Value, values, startedBy, now, cancellationToken);
                    }
                }
            }
            if (problems.Count > 0)
            {
                db.ImportRejections.AddRange(problems);
                batch.Rejected++;
            }
        }
        if (unreadable is not null)
        {
            // Each good row before the line that cannot be read is stored; the same file, corrected, completes it.
            db.AuditEntries.Add(actor.Entry("Registry.AttributesImportFailed", "PersonAttribute", batch.Id.ToString(CultureInfo.InvariantCulture), null, null,
                $"{batch.FileName}: {unreadable}"));
            var failed = await FinishAsync(batch, unreadable);
            await derived.RecomputeAsync(batch.Id, cancellationToken: cancellationToken);
            return failed;
        }
        db.AuditEntries.Add(actor.Entry("Registry.AttributesImported", "PersonAttribute", batch.Id.ToString(CultureInfo.InvariantCulture), null, null,
            $"{batch.FileName}: read {batch.Read}, inserted {batch.Inserted}, updated {batch.Updated}, unchanged {batch.Unchanged}, rejected {batch.Rejected}"));
        var done = await FinishAsync(batch, null);
        await derived.RecomputeAsync(batch.Id, cancellationToken: cancellationToken);
        return done;
    }

    private async Task ApplyAsync(ImportBatch batch, long residentId, List<(DataElement Element, string? Value)> values, string by,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = values.Select(v => v.Element.Id).ToList();
        var existing = await db.PersonAttributes.Where(a => a.ResidentId == residentId && ids.Contains(a.DataElementId))
            .ToDictionaryAsync(a => a.DataElementId, cancellationToken);
        var changes = new Dictionary<string, object?[]>();
        foreach (var (element, value) in values)
        {
            existing.TryGetValue(element.Id, out var stored);
            if (stored?.Value == value)
            {
                continue;
            }
            changes[element.Code] = [stored?.Value, value];
            if (value is null)
            {
                db.PersonAttributes.Remove(stored!);
            }
            else if (stored is null)
            {
                db.PersonAttributes.Add(new PersonAttribute { ResidentId = residentId, DataElementId = element.Id, Value = value, UpdatedBy = by, UpdatedAt = now, LastBatchId = batch.Id });
            }
            else
            {
                (stored.Value, stored.UpdatedBy, stored.UpdatedAt, stored.LastBatchId) = (value, by, now, batch.Id);
            }
        }
        if (changes.Count == 0)
        {
            batch.Unchanged++;
            return;
        }
        if (existing.Count == 0)
        {
            batch.Inserted++;
        }
        else
        {
            batch.Updated++;
        }
        db.ResidentChanges.Add(new ResidentChange { ResidentId = residentId, BatchId = batch.Id, ChangedAt = now, Changes = JsonSerializer.Serialize(changes, AuditRecorder.JsonOptions) });
        batch.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string? Cut(string? text, int length) => text is { } t && t.Length > length ? t[..length] : text;

    /// <summary>Rows one attribute file may have: each is looked up on its own, so the work is bounded here.</summary>
    public const int MaxRows = 500_000;

    private async Task<ImportBatch> FinishAsync(ImportBatch batch, string? problem)
    {
        batch.State = problem is null ? BatchState.Completed : BatchState.Failed;
        batch.Problem = problem is { Length: > 1000 } ? problem[..1000] : problem;
        batch.FinishedAt = batch.UpdatedAt = time.GetUtcNow();
        batch.BytesRead = batch.TotalBytes;
        await db.SaveChangesAsync();
        return batch;
    }
}
