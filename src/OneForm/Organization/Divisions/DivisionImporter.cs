using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using Sylvan.Data.Csv;

namespace OneForm.Organization.Divisions;

public sealed record RejectedRow(int Line, string? Code, string Reason);

public sealed record ImportReport(int Added, int Updated, int Unchanged, IReadOnlyList<RejectedRow> Rejected, string? FileError = null)
{
    public int Accepted => Added + Updated + Unchanged;
}

/// <summary>
/// Loads an administrative-division file (<c>code,name,level,parent_code</c>, the layout of the national
/// statistics codes) into the org tree: validates every row, keeps the good ones, reports the rest by line,
/// and can run again on the same file without changing anything. The file is streamed: a row is checked in itself
/// here, while repeated codes, parents, paths and added/renamed/unchanged are the database's work on a staging table
/// (<see cref="DivisionStaging"/>), so memory stays flat up to the national tree. One transaction: a file that cannot
/// be read to its end imports nothing.
/// </summary>
public sealed class DivisionImporter(OneFormDbContext db, IStringLocalizer<SharedResource> l, AuditActor actor)
{
    private static readonly string[] Columns = ["code", "name", "level", "parent_code"];

    /// <summary>An optional column: the urban–rural classification code (城乡分类代码) where the file has it.</summary>
    public const string UrbanRuralColumn = "urban_rural";

    /// <summary>Lines staged at a time: one COPY or one run of the prepared INSERT.</summary>
    private const int ChunkSize = 20_000;

    /// <summary>Renamed units whose old and new names the audit entry keeps.</summary>
    private const int RenamesKept = 200;

    // Two imports at once would both add the same codes; the second waits for the first.
    private const long ImportLock = 0x4F6E65446976;  // "OneDiv"

    public async Task<ImportReport> ImportAsync(Stream file, string fileName, CancellationToken cancellationToken = default)
    {
        CsvFile csv;
        try
        {
            csv = await OpenAsync(file, cancellationToken);
        }
        catch (InvalidDataException e)
        {
            return new ImportReport(0, 0, 0, [], e.Message);
        }
        await using var _ = csv;

        // One connection for the whole run: the staging table is temporary and belongs to it.
        await db.Database.OpenConnectionAsync(cancellationToken);
        var settings = await db.Dialect.BulkSettingsAsync(db.Database, cancellationToken);
        var staging = new DivisionStaging(db);
        // A level's statements over the national tree run for many seconds on a busy machine.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
        try
        {
            await staging.CreateAsync(cancellationToken);
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Dialect.LockForTransactionAsync(db.Database, ImportLock, cancellationToken);
            List<RejectedRow> rejected;
            try
            {
                rejected = await StageAsync(csv, staging, cancellationToken);
            }
            catch (InvalidDataException e)
            {
                await transaction.RollbackAsync(cancellationToken);
                return new ImportReport(0, 0, 0, [], e.Message);
            }
            var outcome = await staging.MergeAsync(RenamesKept, cancellationToken);

            // A repeated code is reported as such even when its line was refused for something else too.
            var repeats = outcome.Rejected.Where(r => r.State == DivisionStaging.State.Duplicate).Select(r => r.Line).ToHashSet();
            rejected.RemoveAll(r => repeats.Contains(r.Line));
            rejected.AddRange(outcome.Rejected.Select(Reason));
            rejected.Sort((a, b) => a.Line.CompareTo(b.Line));
            var added = outcome.Added.Sum(a => a.Count);
            var report = new ImportReport(added, outcome.Updated, outcome.Unchanged, rejected);
            if (added + outcome.Updated > 0 || rejected.Count > 0)
            {
                var changes = outcome.Renamed.Count == 0 ? null : JsonSerializer.Serialize(
                    outcome.Renamed.ToDictionary(r => r.Code, r => new string?[] { r.Old, r.New }), AuditRecorder.JsonOptions);
                db.AuditEntries.Add(actor.Entry("Divisions.Imported", "Divisions", Truncate(fileName, 64), null, changes,
                    new DivisionImportSummary(outcome.Added, outcome.Updated, outcome.Unchanged, rejected.Count).ToString()));
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
            return report;
        }
        finally
        {
            await staging.DropAsync();
            db.Database.SetCommandTimeout(timeout);
            await settings.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The reason for a line the database refused, in the reader's language.</summary>
    private RejectedRow Reason(DivisionStaging.Rejection r) => r.State switch
    {
        // A repeat keeps the first line's unit; only the repeat is refused (and it names no unit of its own).
        DivisionStaging.State.Duplicate => new(r.Line, null, l["Line {0}: code {1} is a duplicate of line {2}.", r.Line, r.Code, r.FirstLine!]),
        DivisionStaging.State.OwnParent => new(r.Line, r.Code, l["Line {0}: unit {1} cannot be its own parent.", r.Line, r.Code]),
        DivisionStaging.State.NeedsParent => new(r.Line, r.Code, l["Line {0}: a {1} needs a parent code.", r.Line, LevelName(r.Level)]),
        DivisionStaging.State.ParentTooLow or DivisionStaging.State.ParentLaterInFile => new(r.Line, r.Code,
            l["Line {0}: a {1} cannot sit under {2}, which is a {3}.", r.Line, LevelName(r.Level), r.ParentCode!, LevelName(r.ParentLevel)]),
        DivisionStaging.State.ParentRejected => new(r.Line, r.Code,
            l["Line {0}: parent {1} was rejected on line {2}.", r.Line, r.ParentCode!, r.ParentLine!]),
        DivisionStaging.State.ParentNowhere => new(r.Line, r.Code, l["Line {0}: parent {1} is neither in the file nor in OneForm.", r.Line, r.ParentCode!]),
        DivisionStaging.State.Moved => new(r.Line, r.Code,
            l["Line {0}: unit {1} is already in the tree as a {2} under {3}; moving units is not done by import.",
                r.Line, r.Code, LevelName(r.UnitLevel), r.UnitParentCode ?? "-"]),
        _ => throw new InvalidOperationException($"Line {r.Line}: no reason for state {r.State}."),
    };

    private string LevelName(string? stored) => Enum.TryParse<OrgUnitLevel>(stored, out var level) ? LevelName(level) : stored ?? "-";

    /// <summary>The open text of a division file, its header read and its columns found.</summary>
    private sealed class CsvFile(CsvDataReader reader, Stream? copy, int[] ordinals, int urbanRural) : IAsyncDisposable
    {
        public CsvDataReader Reader => reader;
        public int[] Ordinals => ordinals;
        public int UrbanRural => urbanRural;

        public async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            if (copy is not null)
            {
                await copy.DisposeAsync();
            }
        }
    }

    private async Task<CsvFile> OpenAsync(Stream file, CancellationToken cancellationToken)
    {
        // UTF-8 or GB18030 (a CSV saved by Excel or WPS on a Chinese Windows); anything else (Big5, Shift-JIS) is
        // refused, not stored as garbled names. The first bytes decide; a later byte that is not of that encoding
        // stops the import (the decoder throws), so no garbled name is stored either.
        Stream? copy = null;
        if (!file.CanSeek)
        {
            copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
            await file.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            file = copy;
        }
        var start = file.Position;
        var sample = new byte[64 * 1024];
        var length = await file.ReadAtLeastAsync(sample, sample.Length, throwOnEndOfStream: false, cancellationToken);
        var detected = TextFileEncodings.Detect(sample.AsSpan(0, length), complete: length < sample.Length);
        if (detected is null)
        {
            throw new InvalidDataException(NotText());
        }
        var bom = sample.AsSpan(0, length).StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        file.Position = start + bom;
        var strict = detected is UTF8Encoding
            ? new UTF8Encoding(false, throwOnInvalidBytes: true)
            : Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        var text = new StreamReader(file, strict, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        CsvDataReader csv;
        try
        {
            csv = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            text.Dispose();
            throw new InvalidDataException(IsUndecodable(e) ? NotText() : Unreadable(1, e), e);
        }
        var ordinals = new int[Columns.Length];
        for (var i = 0; i < Columns.Length; i++)
        {
            ordinals[i] = Enumerable.Range(0, csv.FieldCount)
                .FirstOrDefault(c => string.Equals(csv.GetName(c).Trim(), Columns[i], StringComparison.OrdinalIgnoreCase), -1);
            if (ordinals[i] < 0)
            {
                await csv.DisposeAsync();
                throw new InvalidDataException(l["The file has no column '{0}'; the first line must be: {1}.", Columns[i], string.Join(",", Columns)]);
            }
        }
        var urbanRural = Enumerable.Range(0, csv.FieldCount)
            .FirstOrDefault(c => string.Equals(csv.GetName(c).Trim(), UrbanRuralColumn, StringComparison.OrdinalIgnoreCase), -1);
        return new CsvFile(csv, copy, ordinals, urbanRural);
    }

    private static bool IsUndecodable(Exception e) => e is DecoderFallbackException || e.InnerException is DecoderFallbackException;

    private string NotText() =>
        l["The file is neither UTF-8 nor GB18030 text (it may be Big5 or Shift-JIS); nothing was imported. Save it as UTF-8 CSV and import it again."];

    /// <summary>
    /// Reads the file to its end, checking each row in itself, and stages it by chunks; answers the rows refused here.
    /// Rows with a well-formed code are staged even when refused, so that a repeat of their code and a child under
    /// them are told which line it was.
    /// </summary>
    private async Task<List<RejectedRow>> StageAsync(CsvFile file, DivisionStaging staging, CancellationToken cancellationToken)
    {
        var csv = file.Reader;
        var ordinals = file.Ordinals;
        var urbanRural = file.UrbanRural;
        var rejected = new List<RejectedRow>();
        var lines = new List<object?[]>(ChunkSize);
        var line = 1;
        while (await NextAsync())
        {
            line++;
            if (line - 1 > MaxRows)
            {
                throw new InvalidDataException(l["The file has more than {0} rows, the most one import takes; nothing was imported.", MaxRows]);
            }
            for (var i = 0; i < csv.RowFieldCount; i++)
            {
                if (csv.GetFieldSpan(i).ContainsAny('\n', '\r'))
                {
                    // A quotation mark left open takes the following lines into one field: the file is refused, not half read.
                    throw new InvalidDataException(l["Line {0}: a quotation mark opened here is never closed, so the rest of the file cannot be read; nothing was imported.", line]);
                }
            }
            string Field(int column) => ordinals[column] < csv.RowFieldCount ? csv.GetString(ordinals[column]).Trim() : "";
            var code = Field(0);
            var name = Field(1);
            var levelText = Field(2);
            var parentCode = Field(3);
            var classification = urbanRural >= 0 && urbanRural < csv.RowFieldCount ? csv.GetString(urbanRural).Trim() : "";
            if (code.Length == 0 && name.Length == 0 && levelText.Length == 0 && parentCode.Length == 0)
            {
                continue;
            }

            string? reason = null;
            var level = default(OrgUnitLevel);
            if (!IsCode(code))
            {
                reason = l["Line {0}: code '{1}' is not 12 digits.", line, code];
            }
            else if (name.Length == 0)
            {
                reason = l["Line {0}: unit {1} has no name.", line, code];
            }
            else if (name.Length > OrgUnit.MaxNameLength || name.Any(char.IsControl))
            {
                reason = l["Line {0}: the name of unit {1} is longer than {2} characters or contains control characters.", line, code, OrgUnit.MaxNameLength];
            }
            else if (!TryParseLevel(levelText, out level))
            {
                reason = l["Line {0}: level '{1}' is not one of 省, 地, 县, 乡, 村 (or province, prefecture, county, township, village).", line, levelText];
            }
            else if (parentCode.Length > 0 && !IsCode(parentCode))
            {
                reason = l["Line {0}: parent code '{1}' is not 12 digits.", line, parentCode];
            }
            else if (classification.Length > 0 && !UrbanRural.IsCode(classification))
            {
                reason = l["Line {0}: urban–rural code '{1}' is not one of {2}.", line, classification, string.Join(", ", UrbanRural.Codes)];
            }

            if (reason is null)
            {
                lines.Add(DivisionStaging.Line(line, code, name, level, parentCode.Length == 0 ? null : parentCode, classification.Length == 0 ? null : classification));
            }
            else
            {
                rejected.Add(new RejectedRow(line, IsCode(code) ? code : null, reason));
                if (IsCode(code))
                {
                    lines.Add(DivisionStaging.Refused(line, code));
                }
            }
            if (lines.Count >= ChunkSize)
            {
                await staging.AddAsync(lines, cancellationToken);
                lines.Clear();
            }
        }
        await staging.AddAsync(lines, cancellationToken);
        return rejected;

        async Task<bool> NextAsync()
        {
            try
            {
                return await csv.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidDataException(IsUndecodable(e) ? NotText() : Unreadable(line + 1, e), e);
            }
        }
    }

    /// <summary>Rows a division file may have: every unit of the nation (some 665,000), with room.</summary>
    public const int MaxRows = 1_000_000;

    private string Unreadable(int line, Exception e) => l["Line {0}: the file cannot be read as CSV from here on (a quotation mark that is never closed, or a row too long); nothing was imported.", line];

    public static bool IsCode(string value) => value.Length == OrgUnit.CodeLength && value.All(char.IsAsciiDigit);

    /// <summary>
    /// A level as the national statistics files and people write it: the English name (province...), or the Chinese
    /// one, short (省/地/县/乡/村) or long (地州级, 乡镇（街道）, 社区...), as OneForm's pages name them.
    /// </summary>
    private static bool TryParseLevel(string text, out OrgUnitLevel level)
    {
        if (Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level) && !int.TryParse(text, out _))
        {
            return true;
        }
        OrgUnitLevel? chinese = text switch
        {
            "省" or "省级" or "自治区" or "直辖市" => OrgUnitLevel.Province,
            "地" or "州" or "市" or "地级" or "地州" or "地州级" or "地市" or "地市级" or "盟" => OrgUnitLevel.Prefecture,
            "县" or "区" or "县级" or "县区" or "县市区" or "县（市、区）" => OrgUnitLevel.County,
            "乡" or "镇" or "街道" or "乡级" or "乡镇" or "乡镇街道" or "乡镇（街道）" => OrgUnitLevel.Township,
            "村" or "社区" or "村级" or "村社区" or "村（社区）" or "居委会" or "村委会" => OrgUnitLevel.Village,
            _ => null,
        };
        level = chinese ?? default;
        return chinese is not null;
    }

    private string LevelName(OrgUnitLevel level) => OrgUnitLevels.Name(level, l);

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
