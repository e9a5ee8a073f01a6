using System.Globalization;
using System.Text.Json;
using OneForm.Admission;
using Xunit.Abstractions;

namespace OneForm.Tests.Admission;

/// <summary>
/// The field matcher against a hand-made set of proposed fields and dictionary elements (field-pairs.tsv): the same
/// figures worded differently must match, look-alikes must not. Precision and recall are printed and held above a bar.
/// </summary>
public sealed class FieldMatcherTests(ITestOutputHelper output)
{
    private const double PrecisionBar = 0.97;
    private const double RecallBar = 0.93;

    private static IReadOnlyList<MatchCandidate> Dictionary()
    {
        using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "data/catalog/elements.json"));
        using var json = JsonDocument.Parse(file);
        return [.. json.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("source").GetString() != "PersonAttribute")
            .Select(e => new MatchCandidate(e.GetProperty("code").GetString()!, e.GetProperty("name").GetString()!,
                [.. e.GetProperty("synonyms").EnumerateArray().Select(s => s.GetString()!)],
                e.GetProperty("unit").ValueKind == JsonValueKind.String ? e.GetProperty("unit").GetString() : null))];
    }

    [Fact]
    public void Matches_the_same_figure_worded_differently_and_keeps_look_alikes_apart()
    {
        var dictionary = Dictionary();
        var pairs = File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Admission/field-pairs.tsv"))
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('\t')).ToList();
        Assert.True(pairs.Count >= 60);
        var (truePositives, falsePositives, shouldMatch) = (0, 0, 0);
        var misses = new List<string>();
        foreach (var (proposed, code, expected) in pairs.Select(p => (p[0], p[1], p[2])))
        {
            Assert.Contains(dictionary, c => c.Code == code);
            var found = FieldMatcher.Match(proposed, null, dictionary);
            var best = found.FirstOrDefault(m => m.IsMatch);
            var listed = found.FirstOrDefault(m => m.Code == code);
            switch (expected)
            {
                case "match":
                    shouldMatch++;
                    if (best?.Code == code)
                    {
                        truePositives++;
                    }
                    else
                    {
                        falsePositives += best is null ? 0 : 1;
                        misses.Add($"{proposed} should match {code}; got {Describe(found)}");
                    }
                    break;
                case "distinct" or "related":
                    if (listed is { IsMatch: true })
                    {
                        falsePositives++;
                        misses.Add($"{proposed} must not match {code}; got {Describe(found)}");
                    }
                    else if (expected == "related" && listed is null)
                    {
                        misses.Add($"{proposed} should list {code} as related; got {Describe(found)}");
                    }
                    break;
                default:
                    throw new InvalidDataException($"unknown expectation {expected}");
            }
        }
        var precision = truePositives / (double)(truePositives + falsePositives);
        var recall = truePositives / (double)shouldMatch;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pairs.Count} pairs ({shouldMatch} should match): precision {precision:P1}, recall {recall:P1} (bars {PrecisionBar:P0}, {RecallBar:P0})"));
        foreach (var miss in misses)
        {
            output.WriteLine(miss);
        }
        Assert.True(precision >= PrecisionBar, $"precision {precision:P1}: {string.Join("; ", misses)}");
        Assert.True(recall >= RecallBar, $"recall {recall:P1}: {string.Join("; ", misses)}");
        Assert.DoesNotContain(misses, m => m.Contains("should list", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("户籍总人口", "户籍人口")]
    [InlineData("６０周岁及以上老人数量（人）", "60岁以上老人数")]
    [InlineData("村（社区）党员人数", "村党员数")]
    public void Normalises_wording(string name, string normalised) => Assert.Equal(normalised, FieldMatcher.Normalise(name));

    private static string Describe(IReadOnlyList<FieldMatch> found) =>
        found.Count == 0 ? "nothing" : string.Join(", ", found.Select(m => $"{m.Code} {m.Confidence:F2} {m.Kind}"));
}
