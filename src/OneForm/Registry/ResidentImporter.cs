using System.Globalization;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Organization;

namespace OneForm.Registry;

/// <summary>
/// Imports residents from a registry export: every row checked (identity number with its check digit, birth date
/// and sex agreeing with it, a known village or community, required fields, the column count, no number twice),
/// good rows upserted by identity number in chunks that each commit on their own, rejected rows kept with line,
/// column and reason. The file is streamed: a row is checked in itself here, while the unit, repeats and
/// new/changed/unchanged are the database's work (<see cref="ResidentStaging"/>: appended while every number is new,
/// else merged through a staging table), so memory stays flat whatever the file's size. The same file again changes
/// nothing; a killed run, run again, completes.
/// </summary>
public sealed class ResidentImporter(OneFormDbContext db, IdentityProtection protection, IStringLocalizer<SharedResource> l,
    DisplayTime displayTime, TimeProvider time, AuditActor actor, Derivation.IDerivedValues derived)
{
    private int ChunkSize => db.Dialect.ImportChunkRows;

    // The villages whose residents this run added or changed (at most every village: a few thousand numbers).
    private readonly HashSet<int> touched = [];

    // Chunks are appended straight to the table while that works (a first load, or a province's next prefecture: every
    // number new); a chunk that holds a number already stored is merged instead, and a file whose chunks do so (the
    // same file again, a month's changes) is merged from its third such chunk on. Chunks appended and merged so.
    private bool appending;
    private int appended, fellBack;

    /// <summary>Each column with the headers registry exports use for it; the first is the one in the template.</summary>
    public static readonly (string Column, bool Required, string[] Headers)[] Columns =
    [
        ("id", true, ["身份证号", "公民身份号码", "身份证号码", "证件号码", "id_number"]),
        ("name", true, ["姓名", "name"]),
        ("sex", true, ["性别", "sex"]),
        ("birth", true, ["出生日期", "出生年月日", "birth_date"]),
        ("ethnicity", false, ["民族", "ethnicity"]),
        ("household", true, ["户号", "户编号", "household_number"]),
        ("relation", false, ["与户主关系", "与户主的关系", "relation"]),
        ("unit", true, ["村居代码", "村（社区）代码", "村社区代码", "单位代码", "区划代码", "unit_code"]),
        ("address", false, ["住址", "户籍地址", "address"]),
        ("phone", false, ["联系电话", "电话", "phone"]),
        ("status", false, ["状态", "人员状态", "status"]),
    ];

    private sealed record Row(int Line, IdentityNumber Number, string Name, Sex Sex, DateOnly BirthDate, string? Ethnicity,
        string Household, string? Relation, string UnitCode, string? Address, string? Phone, ResidentStatus Status);

    public async Task<ImportBatch> StartAsync(string fileName, long totalBytes, string startedBy)
    {
        var now = time.GetUtcNow();
        var batch = new ImportBatch
        {
            Kind = "Residents",
            FileName = Path.GetFileName(fileName),
            StartedBy = startedBy,
            StartedAt = now,
            UpdatedAt = now,
            TotalBytes = totalBytes,
            State = BatchState.Running,
        };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync();
        return batch;
    }

    public async Task RunAsync(long batchId, Stream file, bool isXlsx, Action<ImportBatch>? progress = null, CancellationToken cancellationToken = default)
    {
        await protection.EnsureKeyAsync(db, cancellationToken);
        touched.Clear();
        (appending, appended, fellBack) = (true, 0, 0);
        var batch = await db.ImportBatches.SingleAsync(b => b.Id == batchId, cancellationToken);
        RegistryFile reader;
        try
        {
            reader = await RegistryFile.OpenAsync(file, isXlsx, MaxRows);
        }
        catch (UnreadableFileException e)
        {
            await FailAsync(batch, RegistryFile.Describe(e, l));
            return;
        }
        await using var _ = reader;

        var positions = new int[Columns.Length];
        for (var c = 0; c < Columns.Length; c++)
        {
            positions[c] = reader.Header.ToList().FindIndex(h => Columns[c].Headers.Contains(h, StringComparer.OrdinalIgnoreCase));
            if (positions[c] < 0 && Columns[c].Required)
            {
                await FailAsync(batch, l["The file has no column {0} (also accepted: {1}).",
                    Columns[c].Headers[0], string.Join("、", Columns[c].Headers.Skip(1))]);
                return;
            }
        }

        // Reading, checking, hashing and encrypting run on one core while the chunk before is written on the other;
        // two chunks in flight at most, so memory stays flat however long the file.
        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // One connection for the whole run; on SQLite with a page cache that holds the identity index's hot pages.
        // The staging tables are temporary: they belong to this connection.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var settings = await db.Dialect.BulkSettingsAsync(db.Database, cancellationToken);
        var staging = new ResidentStaging(db);
        await staging.CreateAsync(cancellationToken);
        var reading = Task.Run(() => ReadChunksAsync(reader, positions, batch.Id, chunks.Writer, stop.Token), CancellationToken.None);
        string? unreadable = null;
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                await SaveChunkAsync(batch, staging, chunk, cancellationToken);
                progress?.Invoke(batch);
            }
        }
        catch (Exception e) when ((e as UnreadableFileException ?? e.InnerException as UnreadableFileException) is { } unread)
        {
            // Every row before the line that cannot be read is stored; the batch says where it stopped and why.
            unreadable = RegistryFile.Describe(unread, l);
        }
        finally
        {
            // A failed write stops the reading too.
            await stop.CancelAsync();
            await reading;
            await staging.DropAsync();
            await settings.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
        if (unreadable is not null)
        {
            await FailAsync(batch, unreadable);
            progress?.Invoke(batch);
            await RecomputeAsync(batch, cancellationToken);
            return;
        }
        batch.BytesRead = batch.TotalBytes;
        progress?.Invoke(batch);
        db.AuditEntries.Add(actor.Entry("Registry.Imported", "Residents", batch.Id.ToString(CultureInfo.InvariantCulture), null, null,
            $"{batch.FileName}: read {batch.Read}, inserted {batch.Inserted}, updated {batch.Updated}, unchanged {batch.Unchanged}, rejected {batch.Rejected}"));
        await FinishAsync(batch, BatchState.Completed, null);
        // Derived values follow the registry at once.
        await RecomputeAsync(batch, cancellationToken);
    }

    /// <summary>
    /// Derived values for the villages this import touched. Every village when an import since the last completed one
    /// did not complete (killed or failed midway, its chunks kept but never recomputed) or is still running: which
    /// villages those touched is not known here. The next completed import after it thus makes everything good.
    /// </summary>
    private async Task RecomputeAsync(ImportBatch batch, CancellationToken cancellationToken)
    {
        var lastCompleted = await db.ImportBatches.Where(b => b.Id != batch.Id && b.State == BatchState.Completed)
            .MaxAsync(b => (long?)b.Id, cancellationToken) ?? 0;
        var unfinished = await db.ImportBatches.AnyAsync(b => b.Id != batch.Id && b.Id > lastCompleted && b.State != BatchState.Completed, cancellationToken);
        await derived.RecomputeAsync(batch.Id, unfinished ? null : touched, cancellationToken);
    }

    /// <summary>
    /// The lines of one stretch of the file to stage (valid rows hashed and encrypted; rejected rows only for their unit
    /// code) and the rejections found in the row itself.
    /// </summary>
    private sealed record Chunk(List<object?[]> Lines, List<ImportRejection> Rejections, int Read, long BytesRead);

    private async Task ReadChunksAsync(RegistryFile reader, int[] positions, long batchId, ChannelWriter<Chunk> chunks, CancellationToken cancellationToken)
    {
        var lines = new List<object?[]>(ChunkSize);
        var rejections = new List<ImportRejection>();
        var read = 0;
        try
        {
            var today = displayTime.Today;
            while (await reader.ReadAsync(cancellationToken) is var (line, fields))
            {
                read++;
                if (Parse(line, fields, reader.Header.Count, positions, today, rejections, batchId, out var unitCode) is { } row)
                {
                    var number = row.Number.Value;
                    lines.Add(ResidentStaging.Line(line, row.UnitCode, protection.Hash(number), protection.Protect(number), row.Number.Masked,
                        row.Name, row.Sex, row.BirthDate, row.Ethnicity, row.Household, row.Relation, row.Address, row.Phone, row.Status));
                }
                else if (unitCode is not null)
                {
                    // Its unit is checked by the database with the others, so that line says that too.
                    lines.Add(ResidentStaging.Line(line, unitCode));
                }
                if (lines.Count >= ChunkSize || rejections.Count >= ChunkSize)
                {
                    await chunks.WriteAsync(new Chunk(lines, rejections, read, reader.BytesRead), cancellationToken);
                    (lines, rejections, read) = (new(ChunkSize), [], 0);
                }
            }
            await chunks.WriteAsync(new Chunk(lines, rejections, read, reader.BytesRead), cancellationToken);
            chunks.Complete();
        }
        catch (UnreadableFileException e)
        {
            // The good rows read before the line that cannot be read are written before the batch fails.
            await chunks.WriteAsync(new Chunk(lines, rejections, read, reader.BytesRead), cancellationToken);
            chunks.TryComplete(e);
        }
        catch (Exception e)
        {
            chunks.TryComplete(e);
        }
    }

    /// <summary>Rows the resident import reads at most: a prefecture's registry, with room.</summary>
    public const int MaxRows = 5_000_000;

    /// <summary>Ends the batch as failed with its reason, in the audit trail too.</summary>
    private async Task FailAsync(ImportBatch batch, string problem)
    {
        db.AuditEntries.Add(actor.Entry("Registry.ImportFailed", "Residents", batch.Id.ToString(CultureInfo.InvariantCulture), null, null,
            $"{batch.FileName}: {problem}"));
        await FinishAsync(batch, BatchState.Failed, problem.Length > 1000 ? problem[..1000] : problem);
    }

    private async Task FinishAsync(ImportBatch batch, BatchState state, string? problem)
    {
        batch.State = state;
        batch.Problem = problem;
        batch.FinishedAt = batch.UpdatedAt = time.GetUtcNow();
        batch.BytesRead = batch.TotalBytes;
        await db.SaveChangesAsync();
    }

    /// <summary>
    /// Writes one chunk (appended while every number is new, else staged and merged), its rejections and the batch's
    /// counts, all in one transaction, then forgets it.
    /// </summary>
    private async Task SaveChunkAsync(ImportBatch batch, ResidentStaging staging, Chunk chunk, CancellationToken cancellationToken)
    {
        if (appending)
        {
            try
            {
                await SaveChunkAsync(batch, chunk, now => staging.AppendAsync(chunk.Lines, batch.Id, now, cancellationToken), cancellationToken);
                appended++;
                return;
            }
            catch (Exception e) when (db.Dialect.IsUniqueViolation(e))
            {
                // A number stored before, or the same number twice in the file: merged below, which tells them apart and
                // names both lines. A file that does so often (a quarter of its chunks, after the first few) is merged
                // from here on. The append failed before anything else of the chunk was written or counted, and its
                // transaction is rolled back.
                fellBack++;
                appending = fellBack <= 2 || fellBack * 4 <= appended;
            }
        }
        await SaveChunkAsync(batch, chunk, now => staging.MergeAsync(chunk.Lines, batch.Id, now, cancellationToken), cancellationToken);
    }

    private async Task SaveChunkAsync(ImportBatch batch, Chunk chunk, Func<DateTimeOffset, Task<ResidentStaging.Outcome>> write,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var rejections = new List<ImportRejection>(chunk.Rejections);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var outcome = await write(now);
            foreach (var (line, code) in outcome.UnknownUnits)
            {
                rejections.Add(Reject(batch.Id, line, Columns[7].Headers[0], code, l["Line {0}: {1} is not the code of a village or community of the tree.", line, code!]));
            }
            foreach (var (line, masked, first) in outcome.Repeated)
            {
                rejections.Add(Reject(batch.Id, line, Columns[0].Headers[0], masked, l["Line {0}: the same identity number as line {1}.", line, first]));
            }
            db.ImportRejections.AddRange(rejections);
            touched.UnionWith(outcome.TouchedUnits);
            batch.Inserted += outcome.Inserted;
            batch.Updated += outcome.Updated;
            batch.Unchanged += outcome.Unchanged;
            batch.Read += chunk.Read;
            batch.Rejected += rejections.Select(r => r.Line).Distinct().Count();
            batch.BytesRead = chunk.BytesRead;
            batch.UpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        // Keep only the batch: memory stays flat however long the file.
        foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity != batch).ToList())
        {
            entry.State = EntityState.Detached;
        }
    }

    private static ImportRejection Reject(long batch, int line, string? column, string? value, string reason) => new()
    {
        BatchId = batch,
        Line = line,
        Column = column,
        Value = value is { Length: > 100 } ? value[..100] : value,
        Reason = reason.Length > 500 ? reason[..500] : reason,
    };

    /// <summary>
    /// Checks a line in itself (the database checks its unit and repeats later): the row, or null with its problems
    /// added; <paramref name="unitCode"/> is the unit code it names, if any.
    /// </summary>
    private Row? Parse(int line, string[] fields, int expectedColumns, int[] positions, DateOnly today,
        List<ImportRejection> rejections, long batchId, out string? unitCode)
    {
        unitCode = null;
        if (fields.Length != expectedColumns)
        {
            rejections.Add(Reject(batchId, line, null, null, l["Line {0}: expected {1} columns, found {2}.", line, expectedColumns, fields.Length]));
            return null;
        }
        string? Field(int column) => positions[column] < 0 ? null : fields[positions[column]].Trim() is { Length: > 0 } v ? v : null;
        var before = rejections.Count;
        void Problem(int column, string? value, string reason) => rejections.Add(Reject(batchId, line, Columns[column].Headers[0], value, reason));

        for (var c = 0; c < Columns.Length; c++)
        {
            if (Columns[c].Required && Field(c) is null)
            {
                Problem(c, null, l["Line {0}: {1} is empty.", line, Columns[c].Headers[0]]);
            }
        }
        IdentityNumber number = default;
        if (Field(0) is { } rawNumber)
        {
            var problem = IdentityNumber.TryParse(rawNumber, today, out number);
            if (problem != IdentityNumber.Problem.None)
            {
                Problem(0, IdentityNumber.Mask(rawNumber.Trim()), IdentityProblem(line, problem));
            }
        }
        var sex = Field(2) switch
        {
            "男" or "1" or "M" or "m" or "male" => (Sex?)Sex.Male,
            "女" or "2" or "F" or "f" or "female" => Sex.Female,
            null => null,
            var other => Invalid<Sex>(2, other, l["Line {0}: sex '{1}' must be 男 or 女.", line, other]),
        };
        DateOnly? birth = null;
        if (Field(3) is { } rawBirth)
        {
            if (DateOnly.TryParseExact(rawBirth, ["yyyy-MM-dd", "yyyyMMdd", "yyyy/M/d", "yyyy.M.d", "yyyy年M月d日", "yyyy-M-d"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                birth = parsed;
            }
            else
            {
                Problem(3, rawBirth, l["Line {0}: birth date '{1}' is not a possible date such as 1980-01-31.", line, rawBirth]);
            }
        }
        unitCode = Field(7);
        var status = Field(10) switch
        {
            null or "正常" or "active" => (ResidentStatus?)ResidentStatus.Active,
            "迁出" or "moved" => ResidentStatus.MovedOut,
            "死亡" or "deceased" => ResidentStatus.Deceased,
            var other => Invalid<ResidentStatus>(10, other, l["Line {0}: status '{1}' must be 正常, 迁出 or 死亡.", line, other]),
        };
        if (number.Value is not null && rejections.Count == before)
        {
            if (sex is { } s && s != number.Sex)
            {
                Problem(2, Field(2), l["Line {0}: sex {1} does not agree with the identity number.", line, Field(2)!]);
            }
            if (birth is { } b && b != number.BirthDate)
            {
                Problem(3, Field(3), l["Line {0}: birth date {1} does not agree with the identity number.", line, Field(3)!]);
            }
        }
        foreach (var (column, max) in new[] { (1, 100), (4, 20), (5, 40), (6, 20), (8, 200), (9, 30) })
        {
            if (Field(column) is { } value && value.Length > max)
            {
                Problem(column, value, l["Line {0}: {1} is longer than {2} characters.", line, Columns[column].Headers[0], max]);
            }
            else if (InputRules.Problem(Field(column), Columns[column].Headers[0], l) is { } text)
            {
                Problem(column, null, l["Line {0}: {1}", line, text]);
            }
        }
        if (rejections.Count > before)
        {
            return null;
        }
        return new Row(line, number, Field(1)!, sex!.Value, birth!.Value, Field(4), Field(5)!, Field(6), unitCode!, Field(8), Field(9), status!.Value);

        T? Invalid<T>(int column, string value, string reason) where T : struct
        {
            Problem(column, value, reason);
            return null;
        }
    }

    private string IdentityProblem(int line, IdentityNumber.Problem problem) => problem switch
    {
        IdentityNumber.Problem.Legacy15 => l["Line {0}: the identity number has 15 digits (the old format); use the 18-digit number.", line],
        IdentityNumber.Problem.WrongLength => l["Line {0}: the identity number must have 18 characters.", line],
        IdentityNumber.Problem.NotDigits => l["Line {0}: the identity number must be 17 digits and a final digit or X.", line],
        IdentityNumber.Problem.ImpossibleDate => l["Line {0}: the identity number holds an impossible birth date.", line],
        IdentityNumber.Problem.FutureDate => l["Line {0}: the identity number holds a birth date in the future.", line],
        IdentityNumber.Problem.WrongCheckDigit => l["Line {0}: the identity number's check digit is wrong.", line],
        _ => l["Line {0}: the identity number is empty.", line],
    };
}
