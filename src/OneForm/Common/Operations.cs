using Microsoft.AspNetCore.Authorization;

namespace OneForm.Common;

/// <summary>The kinds of caller an operation may admit: people by role, and the two kinds of access token.</summary>
[Flags]
public enum Callers
{
    None = 0,
    Cadre = 1,
    UnitHead = 2,
    Reviewer = 4,
    Department = 8,
    Gatekeeper = 16,
    Administrator = 32,

    /// <summary>A device such as a meeting-room camera, bound to a unit: it uploads photos and reads its inbox, nothing else.</summary>
    DeviceToken = 64,

    /// <summary>A department's own system: it reads what its department owns or is granted and registers webhooks.</summary>
    DepartmentToken = 128,

    UnitPeople = Cadre | UnitHead,
    Overseers = Gatekeeper | Administrator,
    People = Cadre | UnitHead | Reviewer | Department | Gatekeeper | Administrator,
}

/// <summary>
/// Every endpoint and page declares the one operation it performs, by name, and the operation says which kinds of
/// caller may attempt it at all. Whether this caller may do it to this unit, task or grant is the next question,
/// asked of the caller's scope (Organization.CallerScope) in the handler. An endpoint without a declared operation admits no access token
/// (the default policy is for people), and the authorization matrix test fails on it.
/// </summary>
public static class Operations
{
    // Accounts
    public const string Me = "me.read";
    public const string OwnAccount = "account.own";
    public const string AccessTokens = "access-tokens.manage";
    public const string Administration = "administration";

    // Organization
    public const string OrgUnitsRead = "org-units.read";
    public const string TreeChange = "org-tree.change";
    public const string UnitGroupsChange = "unit-groups.change";

    // Dictionary and the registry's rules
    public const string DictionaryRead = "dictionary.read";
    public const string DictionaryChange = "dictionary.change";
    public const string RulePreview = "derivation-rules.preview";
    public const string ValidationRun = "validation.run";

    // Catalogue
    public const string CatalogueRead = "catalogue.read";
    public const string CatalogueChange = "catalogue.change";

    // Collection
    public const string Home = "home.read";
    public const string PeriodsRead = "periods.read";
    public const string TasksRead = "tasks.read";
    public const string TasksFill = "tasks.fill";
    public const string TasksSignOff = "tasks.sign-off";
    public const string TasksReview = "tasks.review";
    public const string SubtreeRead = "subtree.read";
    public const string FormViewsRead = "form-views.read";
    public const string FormSubmissionsRead = "form-submissions.read";

    // Registry
    public const string RegistryImport = "registry.import";
    public const string AttributesImport = "attributes.import";
    public const string ResidentsRead = "residents.read";

    // Admission
    public const string AdmissionRead = "admission.read";
    public const string AdmissionPropose = "admission.propose";
    public const string AdmissionDecide = "admission.decide";

    // Reports, assessment, burden
    public const string ReportsFile = "reports.file";
    public const string ReportsRead = "reports.read";
    public const string ReportsHandle = "reports.handle";
    public const string OversightRead = "oversight.read";

    // Sharing
    public const string GrantsRead = "grants.read";
    public const string GrantsRequest = "grants.request";
    public const string GrantsDecide = "grants.decide";
    public const string SharedDataRead = "shared-data.read";
    public const string ExportsOwn = "exports.own";
    public const string WebhooksManage = "webhooks.manage";

    // Messages
    public const string MessagesOwn = "messages.own";
    public const string TasksUrge = "tasks.urge";
    public const string ChannelsManage = "channels.manage";

    // Field records
    public const string ActivitiesRead = "activities.read";
    public const string ActivitiesRecord = "activities.record";
    public const string ActivityCounts = "activities.counts";
    public const string PhotosUpload = "photos.upload";
    public const string PhotosInbox = "photos.inbox";
    public const string PhotosRead = "photos.read";

    // Ledgers (台账)
    public const string LedgerKindsRead = "ledger-kinds.read";
    public const string LedgerKindsChange = "ledger-kinds.change";
    public const string LedgerEntriesRead = "ledger-entries.read";
    public const string LedgerEntriesRecord = "ledger-entries.record";
    public const string LedgerRulesChange = "ledger-rules.change";

    private const Callers UnitWorkers = Callers.UnitPeople | Callers.Reviewer | Callers.Overseers;
    private const Callers DepartmentSide = Callers.Department | Callers.Overseers;

    /// <summary>Who may attempt each operation. One line per operation: the matrix test reads this table.</summary>
    public static readonly IReadOnlyDictionary<string, Callers> Admitted = new Dictionary<string, Callers>
    {
        [Me] = Callers.People | Callers.DepartmentToken | Callers.DeviceToken,
        [OwnAccount] = Callers.People,
        [AccessTokens] = Callers.Administrator,
        [Administration] = Callers.Administrator,

        [OrgUnitsRead] = Callers.People | Callers.DepartmentToken,
        [TreeChange] = Callers.Administrator,
        [UnitGroupsChange] = Callers.Administrator,

        [DictionaryRead] = Callers.People | Callers.DepartmentToken,
        [DictionaryChange] = Callers.Gatekeeper,
        // Counting residents is reading personal data in aggregate: only over units the caller may see figures of.
        [RulePreview] = Callers.People,
        // Which units' values break which checks: those who review units and those who use their figures.
        [ValidationRun] = Callers.Reviewer | DepartmentSide,

        [CatalogueRead] = Callers.People | Callers.DepartmentToken,
        [CatalogueChange] = Callers.Gatekeeper,

        [Home] = Callers.People,
        [PeriodsRead] = Callers.People | Callers.DepartmentToken,
        [TasksRead] = UnitWorkers,
        [TasksFill] = Callers.UnitPeople,
        [TasksSignOff] = Callers.UnitHead,
        [TasksReview] = Callers.Reviewer,
        [SubtreeRead] = Callers.Reviewer | Callers.Overseers,
        // A form as a view of one unit's values (Sharing.FormViews): the unit and those above it, and the department that
        // issues the form, person or system; the handler asks which.
        [FormViewsRead] = UnitWorkers | Callers.Department | Callers.DepartmentToken,
        // Which units submitted a form: the issuing department (its own forms) and the overseers (every form).
        [FormSubmissionsRead] = DepartmentSide,

        [RegistryImport] = Callers.Administrator,
        [AttributesImport] = DepartmentSide,
        [ResidentsRead] = UnitWorkers,

        [AdmissionRead] = DepartmentSide,
        [AdmissionPropose] = Callers.Department,
        [AdmissionDecide] = Callers.Gatekeeper,

        [ReportsFile] = Callers.UnitPeople | Callers.Reviewer,
        [ReportsRead] = Callers.People,
        [ReportsHandle] = Callers.Gatekeeper,
        [OversightRead] = Callers.Overseers,

        [GrantsRead] = DepartmentSide,
        [GrantsRequest] = Callers.Department,
        [GrantsDecide] = Callers.Department | Callers.Gatekeeper,
        [SharedDataRead] = DepartmentSide | Callers.DepartmentToken,
        [ExportsOwn] = DepartmentSide | Callers.DepartmentToken,
        [WebhooksManage] = Callers.Department | Callers.DepartmentToken,

        // A person's own messages: every query is bound to the caller's account id.
        [MessagesOwn] = Callers.People,
        // A reviewer's reminder (催报) to the units below that have not started.
        [TasksUrge] = Callers.Reviewer,
        // The messaging robots of the units (where messages go beyond the app): administrators only.
        [ChannelsManage] = Callers.Administrator,

        [ActivitiesRead] = UnitWorkers,
        [ActivitiesRecord] = Callers.UnitPeople,
        [ActivityCounts] = Callers.Reviewer | DepartmentSide | Callers.DepartmentToken,
        [PhotosUpload] = Callers.UnitPeople | Callers.DeviceToken,
        [PhotosInbox] = Callers.UnitPeople | Callers.DeviceToken,
        [PhotosRead] = UnitWorkers,

        [LedgerKindsRead] = Callers.People,
        [LedgerKindsChange] = Callers.Gatekeeper,
        // The unit, the reviewers above it and the department that owns the kind; the handler asks which.
        [LedgerEntriesRead] = UnitWorkers | Callers.Department,
        [LedgerEntriesRecord] = Callers.UnitPeople,
        [LedgerRulesChange] = Callers.Gatekeeper,
    };

    /// <summary>Declares the operation an endpoint performs; only the callers it admits get past authorization.</summary>
    public static TBuilder Allow<TBuilder>(this TBuilder endpoint, string operation) where TBuilder : IEndpointConventionBuilder =>
        Admitted.ContainsKey(operation)
            ? endpoint.RequireAuthorization(operation)
            : throw new ArgumentException($"'{operation}' is not an operation of {nameof(Operations)}.", nameof(operation));

    public static AuthorizationBuilder AddOperationPolicies(this AuthorizationBuilder authorization)
    {
        foreach (var operation in Admitted.Keys)
        {
            authorization.AddPolicy(operation, p => p.RequireAuthenticatedUser().AddRequirements(new OperationRequirement(operation)));
        }
        return authorization;
    }
}

/// <summary>The caller must be of a kind the operation admits.</summary>
public sealed class OperationRequirement(string operation) : IAuthorizationRequirement
{
    public string Operation => operation;
}

/// <summary>Signed-in people only: the default for anything that declares no operation, so access tokens reach nothing by accident.</summary>
public sealed class PersonRequirement : IAuthorizationRequirement;

/// <summary>Endpoint metadata: the allowance a request to this endpoint draws on, per client address.</summary>
public sealed record RateLimit(RateLimited Allowance)
{
    public static readonly RateLimit SignIn = new(RateLimited.SignIn);
    public static readonly RateLimit Public = new(RateLimited.Public);
}

public enum RateLimited
{
    None,
    SignIn,
    Public,
}
