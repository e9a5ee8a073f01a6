using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OneForm.Registry;
using OneForm.Testing;

namespace OneForm.Tests.Registry;

/// <summary>Valid identity numbers no other test uses, and registry CSVs built from them.</summary>
public static class RegistryFiles
{
    private static int next = Random.Shared.Next(100, 800);

    public const string Header = "身份证号,姓名,性别,出生日期,民族,户号,与户主关系,村居代码,住址,联系电话";

    /// <summary>A fresh valid number for someone born on <paramref name="birth"/>.</summary>
    public static string Number(DateOnly birth, Sex sex, char? checkDigit = null)
    {
        while (true)
        {
            var seq = Interlocked.Increment(ref next) % 500 * 2 + (sex == Sex.Male ? 1 : 0);
            // A region code no demo resident has (theirs are their villages' 652301…), so a test's number is never a demo
            // resident's: an import would otherwise move that resident and count one row as updated.
            var first17 = $"652399{birth:yyyyMMdd}{seq:000}".Substring(0, 17);
            var check = IdentityNumber.CheckDigitFor(first17);
            if (checkDigit is null || check == checkDigit)
            {
                return first17 + check;
            }
        }
    }

    public static string Line(string number, string name, string sex, string birth, string household, string unit, string address = "建国路1号") =>
        $"{number},{name},{sex},{birth},汉族,{household},户主,{unit},{address},13900000000";

    public static MemoryStream Csv(IEnumerable<string> lines, bool bom = true, string newline = "\r\n")
    {
        var text = string.Join(newline, lines) + newline;
        var bytes = Encoding.UTF8.GetBytes(text);
        return new MemoryStream(bom ? [0xEF, 0xBB, 0xBF, .. bytes] : bytes);
    }

    /// <summary>Imports a registry file as the administrator's upload does, to the end; the batch as stored.</summary>
    public static async Task<ImportBatch> ImportAsync(OneFormHost app, Stream file, string name = "registry.csv", Action<ImportBatch>? progress = null,
        CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<ResidentImporter>();
        var batch = await importer.StartAsync(name, file.Length, "test");
        await importer.RunAsync(batch.Id, file, name.EndsWith(".xlsx", StringComparison.Ordinal), progress, cancellationToken);
        return await app.WithDbAsync(db => db.ImportBatches.AsNoTracking().SingleAsync(b => b.Id == batch.Id));
    }

    public static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
