using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Catalog;
using OneForm.Collection;
using OneForm.CommandLine;
using OneForm.Data;
using OneForm.Dictionary;
using OneForm.Ledgers;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Messages;
using OneForm.Organization;
using OneForm.Oversight;
using OneForm.Registry;
using OneForm.Reports;
using OneForm.Sharing;
using OneForm.Web;

var (command, exitCode) = OneFormCommand.Parse(args, Console.Out, Console.Error);
if (command is null)
{
    return exitCode;
}

try
{
    // Settings and files are found beside the executable, from whatever folder it is run.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = command.HostArguments, ContentRootPath = AppContext.BaseDirectory });
    builder.Services.AddOneFormData(builder.Configuration);
    builder.Services.AddOneFormLocalization();
    builder.AddWeb();
    builder.Services.AddAccounts(builder.Configuration);
    builder.Services.AddOrganization();
    builder.Services.AddCatalog();
    builder.Services.AddCollection();
    builder.Services.AddRegistry();
    builder.Services.AddAdmission();
    builder.Services.AddReports();
    builder.Services.AddSharing();
    builder.Services.AddMedia();
    builder.Services.AddLedgers();
    builder.Services.AddMessages();

    var app = builder.Build();
    app.UseWeb();
    app.MapWeb();
    app.MapAccounts();
    app.MapOrganization();
    app.MapDictionary();
    app.MapCatalog();
    app.MapCollection();
    app.MapRegistry();
    app.MapAdmission();
    app.MapReports();
    app.MapSharing();
    app.MapMedia();
    app.MapLedgers();
    app.MapOversight();
    app.MapMessages();

    return await command.RunAsync(app, Console.Out, Console.Error);
}
catch (StartupProblem problem)
{
    await Console.Error.WriteLineAsync(problem.Message);
    return OneFormCommand.Failed;
}

/// <summary>The entry point, visible to the test hosts.</summary>
public partial class Program;
