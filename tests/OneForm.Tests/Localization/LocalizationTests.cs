using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace OneForm.Tests.Localization;

/// <summary>Every user-visible string of the source has its Chinese text; English is the key itself.</summary>
public sealed partial class LocalizationTests
{
    private static string SourceRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "OneForm.slnx")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("OneForm.slnx not found above the test binaries"), "src", "OneForm");
    }

    private static Dictionary<string, string> Chinese() =>
        XDocument.Load(Path.Combine(SourceRoot(), "Localization", "SharedResource.zh-CN.resx")).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "");

    private static IEnumerable<(string File, string Key)> KeysInSource()
    {
        var root = SourceRoot();
        foreach (var file in Directory.EnumerateFiles(root, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal))
                     .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                                 && !f.Contains("Migrations", StringComparison.Ordinal)))
        {
            foreach (Match match in LocalizedText().Matches(File.ReadAllText(file)))
            {
                yield return (Path.GetRelativePath(root, file), Regex.Unescape(match.Groups[1].Value));
            }
        }
    }

    [Fact]
    public void Every_localised_string_has_a_Chinese_translation()
    {
        var chinese = Chinese();
        var keys = KeysInSource().ToList();

        var missing = keys.Where(k => !chinese.TryGetValue(k.Key, out var text) || string.IsNullOrWhiteSpace(text))
            .Select(k => $"{k.File}: {k.Key}").Distinct().ToList();

        Assert.True(keys.Count > 150, $"only {keys.Count} strings found: is the pattern still right?");
        Assert.True(missing.Count == 0, "Add to Localization/SharedResource.zh-CN.resx:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void The_Chinese_resources_have_no_strings_the_source_no_longer_uses()
    {
        var used = KeysInSource().Select(k => k.Key).ToHashSet();

        var unused = Chinese().Keys.Where(k => !used.Contains(k)).ToList();

        Assert.True(unused.Count == 0, "Remove from Localization/SharedResource.zh-CN.resx:\n" + string.Join("\n", unused));
    }

    /// <summary>Resource names are matched without case when compiled: "New" and "new" would lose one of them.</summary>
    [Fact]
    public void No_two_strings_differ_only_in_case()
    {
        var clashes = Chinese().Keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashes.Count == 0, "Reword one of each pair:\n" + string.Join("\n", clashes));
    }

    [Fact]
    public void Placeholders_match_between_English_and_Chinese()
    {
        var mismatched = Chinese().Where(p => Placeholders(p.Key) != Placeholders(p.Value)).Select(p => p.Key).ToList();

        Assert.Empty(mismatched);

        static string Placeholders(string text) => string.Join(",", Placeholder().Matches(text).Select(m => m.Value).Distinct().Order());
    }

    [GeneratedRegex(@"(?:\b[lL]\[|\bLocalizer\[|ErrorMessage\s*=\s*|Display\(Name\s*=\s*|\bText\((?:l,\s*)?)\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LocalizedText();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
