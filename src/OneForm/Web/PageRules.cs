using Microsoft.AspNetCore.Mvc.ApplicationModels;
using OneForm.Accounts;
using OneForm.Organization;

namespace OneForm.Web;

/// <summary>
/// The operation each page performs, in one table beside the API's (<see cref="Operations"/>). A page's handlers
/// then ask <see cref="CallerScope"/> about the unit, task or grant at hand. A page missing here is for signed-in
/// people only, and the authorization matrix test fails on it.
/// </summary>
internal static class PageRules
{
    public static readonly string[] Anonymous = ["/Account/Login", "/Error", "/Status", "/Verify"];

    public static readonly IReadOnlyDictionary<string, string> Operation = new Dictionary<string, string>
    {
        ["/Index"] = Operations.Home,
        ["/Account/AccessDenied"] = Operations.OwnAccount,
        ["/Account/ChangePassword"] = Operations.OwnAccount,
        ["/Account/Logout"] = Operations.OwnAccount,
        ["/Activities/Index"] = Operations.ActivitiesRead,
        ["/Activities/New"] = Operations.ActivitiesRecord,
        ["/Admin/Accounts/Index"] = Operations.Administration,
        ["/Admin/Accounts/Create"] = Operations.Administration,
        ["/Admin/Accounts/Edit"] = Operations.Administration,
        ["/Admin/Departments/Index"] = Operations.Administration,
        ["/Admin/Divisions/Index"] = Operations.TreeChange,
        ["/Admin/Tokens/Index"] = Operations.AccessTokens,
        ["/Admission/Index"] = Operations.AdmissionRead,
        ["/Admission/Request"] = Operations.AdmissionRead,
        ["/Admission/Edit"] = Operations.AdmissionPropose,
        ["/Catalog/Index"] = Operations.CatalogueRead,
        ["/Catalog/Form"] = Operations.CatalogueRead,
        ["/Catalog/Inventory"] = Operations.CatalogueRead,
        ["/Collection/Task"] = Operations.TasksRead,
        ["/Collection/Sheet"] = Operations.TasksRead,
        ["/Collection/Review"] = Operations.SubtreeRead,
        ["/Collection/Submissions"] = Operations.FormSubmissionsRead,
        ["/Dictionary/Index"] = Operations.DictionaryRead,
        ["/Dictionary/Edit"] = Operations.DictionaryRead,
        ["/Dictionary/Rule"] = Operations.DictionaryRead,
        ["/Dictionary/Checks"] = Operations.DictionaryRead,
        ["/Dictionary/CheckRun"] = Operations.ValidationRun,
        ["/Exports/Index"] = Operations.ExportsOwn,
        ["/Grants/Index"] = Operations.GrantsRead,
        ["/Ledgers/Index"] = Operations.LedgerEntriesRead,
        ["/Ledgers/Entry"] = Operations.LedgerEntriesRecord,
        ["/Ledgers/Kinds"] = Operations.LedgerKindsRead,
        ["/Ledgers/Rules"] = Operations.LedgerKindsRead,
        ["/Messages/Index"] = Operations.MessagesOwn,
        ["/Messages/Urge"] = Operations.TasksUrge,
        ["/More/Index"] = Operations.Home,
        ["/Organization/Index"] = Operations.OrgUnitsRead,
        ["/Organization/Groups"] = Operations.UnitGroupsChange,
        ["/Oversight/Assessment/Index"] = Operations.OversightRead,
        ["/Oversight/Audit/Index"] = Operations.OversightRead,
        ["/Oversight/Burden/Index"] = Operations.OversightRead,
        ["/Registry/Imports"] = Operations.RegistryImport,
        ["/Registry/Residents"] = Operations.ResidentsRead,
        ["/Reports/Index"] = Operations.ReportsRead,
        ["/Reports/Detail"] = Operations.ReportsRead,
        ["/Reports/New"] = Operations.ReportsFile,
        ["/Statistics/Index"] = Operations.SharedDataRead,
    };

    public static void Apply(PageConventionCollection conventions)
    {
        // Every page is for people (the default policy) on top of its operation: no access token opens a page.
        conventions.AuthorizeFolder("/");
        foreach (var page in Anonymous)
        {
            conventions.AllowAnonymousToPage(page);
        }
        conventions.AddPageApplicationModelConvention("/Account/Login", page => page.EndpointMetadata.Add(RateLimit.SignIn));
        conventions.AddPageApplicationModelConvention("/Verify", page => page.EndpointMetadata.Add(RateLimit.Public));
        foreach (var (page, operation) in Operation)
        {
            conventions.AuthorizePage(page, operation);
        }
    }
}
