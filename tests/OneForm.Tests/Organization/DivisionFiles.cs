using System.Text;

namespace OneForm.Tests.Organization;

/// <summary>Builds divisions CSVs under a prefecture code of their own, so tests never touch each other's units.</summary>
public sealed class DivisionFiles
{
    private static int nextPrefecture = 7000;

    private readonly StringBuilder csv;

    public DivisionFiles(string columns = "code,name,level,parent_code")
    {
        Prefix = Interlocked.Increment(ref nextPrefecture).ToString(System.Globalization.CultureInfo.InvariantCulture);
        csv = new StringBuilder(columns).Append('\n');
    }

    /// <summary>Another file over the same codes (to import the same units again with other columns).</summary>
    public DivisionFiles(DivisionFiles same, string columns) : this(columns) => Prefix = same.Prefix;

    /// <summary>Four digits shared by every code this file makes.</summary>
    public string Prefix { get; }

    public string Prefecture => Prefix + "00000000";
    public string County(int n) => $"{Prefix}{n:00}000000";
    public string Township(int county, int n) => $"{Prefix}{county:00}{n:000}000";
    public string Village(int county, int township, int n) => $"{Prefix}{county:00}{township:000}{n:000}";

    public DivisionFiles Line(string line)
    {
        csv.Append(line).Append('\n');
        return this;
    }

    public DivisionFiles Unit(string code, string name, string level, string? parent) => Line($"{code},{name},{level},{parent}");

    /// <summary>A prefecture with two counties, each with two townships of three villages: 1 + 2 + 4 + 12 = 19 units.</summary>
    public DivisionFiles SmallTree()
    {
        Unit(Prefecture, $"测试州{Prefix}", "prefecture", null);
        for (var c = 1; c <= 2; c++)
        {
            Unit(County(c), $"测试县{c}", "county", Prefecture);
            for (var t = 1; t <= 2; t++)
            {
                Unit(Township(c, t), $"测试镇{c}-{t}", "township", County(c));
                for (var v = 1; v <= 3; v++)
                {
                    Unit(Village(c, t, v), $"测试村{c}-{t}-{v}", "village", Township(c, t));
                }
            }
        }
        return this;
    }

    public MemoryStream Stream() => new(Encoding.UTF8.GetBytes(csv.ToString()));

    public override string ToString() => csv.ToString();
}
