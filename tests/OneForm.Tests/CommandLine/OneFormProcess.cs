using System.Diagnostics;

namespace OneForm.Tests.CommandLine;

/// <summary>The OneForm command line as a separate process, as an operator runs it: English messages, no telemetry, the given settings.</summary>
internal static class OneFormProcess
{
    public static ProcessStartInfo StartInfo(IDictionary<string, string>? environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "OneForm.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["LANG"] = "en_US.UTF-8";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        return start;
    }
}
