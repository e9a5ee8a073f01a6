using System.Text;
using MiniExcelLibs;
using Sylvan.Data.Csv;

namespace OneForm.Registry;

/// <summary>
/// Reads a registry export row by row without holding it in memory: CSV in UTF-8 (with or without BOM) or
/// GB18030/GBK, or xlsx. The first row names the columns.
/// </summary>
public sealed class RegistryFile : IAsyncDisposable
{
    static RegistryFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

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

    /// <summary>Opens the file; null with a reason when its encoding is neither UTF-8 nor GB18030.</summary>
    public static async Task<(RegistryFile? File, bool EncodingRefused)> OpenAsync(Stream stream, bool isXlsx)
    {
        if (isXlsx)
        {
            var rows = stream.Query(useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().GetEnumerator();
            var header = rows.MoveNext() ? rows.Current.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)?.Trim() ?? "").ToList() : [];
            return (new RegistryFile(stream, rows, header), false);
        }

        var sample = new byte[64 * 1024];
        var length = await stream.ReadAtLeastAsync(sample, sample.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        var encoding = Detect(sample.AsSpan(0, length), complete: length < sample.Length);
        if (encoding is null)
        {
            return (null, true);
        }
        var text = new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 64 * 1024);
        var reader = await CsvDataReader.CreateAsync(text, new CsvDataReaderOptions { HasHeaders = true });
        return (new RegistryFile(stream, reader, encoding.WebName), false);
    }

    /// <summary>UTF-8 (with or without BOM) or GB18030 from the file's first bytes; null when it is neither.</summary>
    internal static Encoding? Detect(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(false);
        }
        // A sample may end inside a character: judge it up to its last line break, which no multi-byte
        // character of UTF-8 or GB18030 contains.
        var lastBreak = complete ? -1 : sample.LastIndexOf((byte)'\n');
        var judged = lastBreak > 0 ? sample[..lastBreak] : sample;
        if (IsValid(new UTF8Encoding(false, throwOnInvalidBytes: true), judged))
        {
            return new UTF8Encoding(false);
        }
        var gb18030 = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        return IsValid(gb18030, judged) ? Encoding.GetEncoding("GB18030") : null;
    }

    private static bool IsValid(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        try
        {
            encoding.GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>The next data row: its line in the file and its fields; null at the end.</summary>
    public async Task<(int Line, string[] Fields)?> ReadAsync(CancellationToken cancellationToken)
    {
        if (csv is not null)
        {
            while (await csv.ReadAsync(cancellationToken))
            {
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
        while (sheet!.MoveNext())
        {
            line++;
            var fields = sheet.Current.Values.Select(v => v switch
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
        return null;
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
