using System.Text;
using MiniExcelLibs;
using OneForm.Common;
using Sylvan.Data.Csv;

namespace OneForm.Registry;

/// <summary>
/// Reads a registry export row by row without holding it in memory: CSV in UTF-8 (with or without BOM) or
/// GB18030/GBK, or xlsx. The first row names the columns.
/// </summary>
public sealed class RegistryFile : IAsyncDisposable
{
    private readonly Stream stream;
    private readonly CsvDataReader? csv;
    private readonly IEnumerator<IDictionary<string, object?>>? sheet;
    private int line = 1;

    public IReadOnlyList<string> Header { get; }
    public string EncodingName { get; }

    private RegistryFile(Stream stream, CsvDataReader csv, string encoding)
    {
        this.stream = stream;
        this.csv = csv;
        EncodingName = encoding;
        Header = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetName(i).Trim().TrimStart('\uFEFF')).ToList();
    }

    private RegistryFile(Stream stream, IEnumerator<IDictionary<string, object?>> sheet, IReadOnlyList<string> header)
    {
        this.stream = stream;
        this.sheet = sheet;
        EncodingName = "xlsx";
        Header = header;
    }

    /// <summary>
    /// Opens the file, or throws <see cref="UnreadableFileException"/> before any row is read: a text in an encoding
    /// OneForm does not read, a workbook that is none, more than <paramref name="maxColumns"/> columns.
    /// </summary>
    public static async Task<RegistryFile> OpenAsync(Stream stream, bool isXlsx, int maxRows, int maxColumns = MaxColumns)
    {
        RegistryFile file;
        if (isXlsx)
        {
            IEnumerator<IDictionary<string, object?>> rows;
            List<string> header;
            try
            {
                rows = stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().GetEnumerator();
                header = rows.MoveNext() ? rows.Current.Take(maxColumns + 1).Select(v => Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "").ToList() : [];
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new UnreadableFileException(1, Unreadable.Damaged, e);
            }
            file = new RegistryFile(stream, rows, header);
        }
        else
        {
            var sample = new byte[64 * 1024];
            var length = await stream.ReadAtLeastAsync(sample, sample.Length, throwOnEndOfStream: false);
            stream.Position = 0;
            var encoding = Detect(sample.AsSpan(0, length), complete: length < sample.Length)
                ?? throw new UnreadableFileException(1, Unreadable.Encoding);
            var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
            CsvDataReader reader;
            try
            {
                reader = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new UnreadableFileException(1, Unreadable.Damaged, e);
            }
            file = new RegistryFile(stream, reader, encoding.WebName);
        }
        file.maxRows = maxRows;
        if (file.Header.Count > maxColumns)
        {
            await file.DisposeAsync();
            throw new UnreadableFileException(1, Unreadable.TooManyColumns) { Limit = maxColumns };
        }
        return file;
    }

    /// <summary>More columns than any registry export has: a sheet this wide is not one.</summary>
    public const int MaxColumns = 50;

    private int maxRows = int.MaxValue;

    /// <summary>The message for a file that cannot be read, naming the line and the limit where there is one.</summary>
    public static string Describe(UnreadableFileException e, Microsoft.Extensions.Localization.IStringLocalizer l) => e.Reason switch
    {
        Unreadable.Encoding => l["The file is neither UTF-8 nor GB18030 text (it may be Big5 or Shift-JIS); nothing was imported. Save it as UTF-8 CSV or as xlsx and import it again."],
        Unreadable.QuoteNotClosed => l["Line {0}: a quotation mark opened here is never closed, so the rest of the file cannot be read. The rows before it were imported; correct the file and import it again.", e.Line],
        Unreadable.TooManyRows => l["Line {0}: the file has more than {1} rows, the most one import takes; the rows before it were imported. Split the file and import the rest.", e.Line, e.Limit],
        Unreadable.TooManyColumns => l["The file has more than {0} columns, the most an import takes; nothing was imported.", e.Limit],
        _ => e.Line <= 1
            ? l["The file cannot be read as CSV or xlsx; nothing was imported."]
            : l["Line {0}: the file cannot be read from here on. The rows before it were imported; correct the file and import it again.", e.Line],
    };

    /// <summary>UTF-8 (with or without BOM) or GB18030 from the file's first bytes; null when it is neither.</summary>
    internal static Encoding? Detect(ReadOnlySpan<byte> sample, bool complete) => TextFileEncodings.Detect(sample, complete);

    private (int Line, string[] Fields)? lookahead;
    private bool atEnd;

    /// <summary>
    /// The next data row: its line in the file and its fields; null at the end. Throws
    /// <see cref="UnreadableFileException"/> with the line where the file stops being readable, or passes the row limit.
    /// </summary>
    public async Task<(int Line, string[] Fields)?> ReadAsync(CancellationToken cancellationToken)
    {
        var row = csv is not null ? lookahead ?? await NextCsvAsync(cancellationToken) : NextSheetRow();
        lookahead = null;
        if (row is { } r && csv is not null && r.Fields.Any(f => f.Contains('\n', StringComparison.Ordinal) || f.Contains('\r', StringComparison.Ordinal)))
        {
            // A quotation mark left open takes every later line into one field, up to the end of the file: a field
            // with line breaks in the file's last row is that, never an address that happens to have two lines.
            lookahead = await NextCsvAsync(cancellationToken);
            if (lookahead is null)
            {
                throw new UnreadableFileException(r.Line, Unreadable.QuoteNotClosed);
            }
        }
        if (row is { } counted && counted.Line - 1 > maxRows)
        {
            throw new UnreadableFileException(counted.Line, Unreadable.TooManyRows) { Limit = maxRows };
        }
        return row;
    }

    private async Task<(int Line, string[] Fields)?> NextCsvAsync(CancellationToken cancellationToken)
    {
        while (!atEnd)
        {
            bool more;
            try
            {
                more = await csv!.ReadAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new UnreadableFileException(line + 1, Unreadable.Damaged, e);
            }
            if (!more)
            {
                atEnd = true;
                break;
            }
            line++;
            var fields = new string[csv.RowFieldCount];
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = csv.GetString(i);
            }
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            return (line, fields);
        }
        return null;
    }

    private (int Line, string[] Fields)? NextSheetRow()
    {
        while (true)
        {
            try
            {
                if (!sheet!.MoveNext())
                {
                    return null;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new UnreadableFileException(line + 1, Unreadable.Damaged, e);
            }
            line++;
            var fields = sheet.Current.Values.Take(Header.Count + 1).Select(v => v switch
            {
                null => "",
                DateTime date => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                double number => number.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
                _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "",
            }).ToArray();
            if (fields.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            return (line, fields);
        }
    }

    public long BytesRead => stream.CanSeek ? stream.Position : 0;

    public long TotalBytes => stream.CanSeek ? stream.Length : 0;

    public async ValueTask DisposeAsync()
    {
        if (csv is not null)
        {
            await csv.DisposeAsync();
        }
        sheet?.Dispose();
    }
}

public enum Unreadable
{
    Damaged,
    Encoding,
    QuoteNotClosed,
    TooManyRows,
    TooManyColumns,
}

/// <summary>A registry file that cannot be read (further): where, why, and the limit passed if that is why.</summary>
public sealed class UnreadableFileException(int line, Unreadable reason, Exception? inner = null)
    : Exception($"{reason} at line {line}", inner)
{
    public int Line { get; } = line;
    public Unreadable Reason { get; } = reason;
    public int Limit { get; init; }
}
