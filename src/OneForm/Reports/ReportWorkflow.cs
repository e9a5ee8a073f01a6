using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Admission;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Media;
using OneForm.Organization;

namespace OneForm.Reports;

public sealed record ReportFiling(string FormTitle, string? ClaimedCode, string SentBy, string? SentByDepartmentCode, ReportChannel Channel,
    DateOnly ReceivedOn, string? Details, bool RevealReporter = false);

/// <summary>A substantiated report's finding: the responsible department (required), its designer, and whether the form had no admission.</summary>
public sealed record FindingBody(string? DepartmentCode, string? Designer, bool IssuedWithoutAdmission, string? Note);

public sealed record InterviewBody(DateOnly On, string? Note);

public sealed record RectificationBody(DateOnly Due);

public sealed record DateBody(DateOnly On);

public sealed record NoteBody(string? Note);

public sealed record EvidenceFile(string FileName, string ContentType, byte[] Content);

/// <summary>
/// Filing a report and the gatekeeper's steps: received → investigating → substantiated (finding, interview,
/// rectification with a deadline, done) or not → closed. A substantiated report costs the responsible department points.
/// </summary>
/// <summary>
/// Told when a report is decided (substantiated or not) and when it is closed, before the step is saved: what a
/// listener adds (the reporter's message) is saved with it.
/// </summary>
public interface IReportDecided
{
    void Decided(Report report);
}

public sealed class ReportWorkflow(OneFormDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time, DisplayTime displayTime,
    IConfiguration configuration, IFileStore store, IEnumerable<IReportDecided> listeners)
{
    public const int MaxFiles = 5;
    public const long MaxFileBytes = 10 * 1024 * 1024;

    public decimal PointsPerSubstantiatedReport => configuration.GetValue("Assessment:PointsPerSubstantiatedReport", 2m);
    public decimal PointsPerFormWithoutAdmission => configuration.GetValue("Assessment:PointsPerFormWithoutAdmission", 3m);

    public static bool MayFile(CallerScope scope) => scope.Role is Role.Cadre or Role.UnitHead or Role.Reviewer && scope.OrgUnitId is not null;

    public static bool KeepsReports(CallerScope scope) => scope.Role is Role.Gatekeeper or Role.Administrator;

    /// <summary>The reporter their own; the gatekeeper all; a department the substantiated ones against it.</summary>
    public static IQueryable<Report> Visible(IQueryable<Report> reports, CallerScope scope, string userId) => scope.Role switch
    {
        Role.Gatekeeper or Role.Administrator => reports,
        Role.Department => reports.Where(r => r.ResponsibleDepartmentId == scope.DepartmentId
                                              && (r.State == ReportState.Substantiated || (r.State == ReportState.Closed && r.DecidedOn != null))),
        _ => reports.Where(r => r.ReporterUserId == userId),
    };

    /// <summary>Whether the viewer may learn who reported: the reporter, the gatekeeper, or anyone if the reporter allowed it.</summary>
    public static bool SeesReporter(Report report, CallerScope scope, string userId) =>
        KeepsReports(scope) || report.ReporterUserId == userId || report.RevealReporter;

    public Task<Report?> FindAsync(int id) => db.Reports.Include(r => r.ReporterUnit).Include(r => r.ResponsibleDepartment)
        .Include(r => r.Evidence).AsSplitQuery().SingleOrDefaultAsync(r => r.Id == id);

    public static string GroupKeyFor(string title, string? code) =>
        AdmissionCodes.Clean(code) is { Length: > 0 } clean ? "code:" + clean : "title:" + FieldMatcher.Normalise(title);

    /// <summary>Checks and files a report with its evidence; returns the problems by field, or the new report.</summary>
    public async Task<(Report? Report, Dictionary<string, string[]> Errors)> FileAsync(ReportFiling filing, IReadOnlyList<EvidenceFile> files,
        CallerScope scope, string reporter)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(filing.FormTitle) || filing.FormTitle.Trim().Length > 200)
        {
            errors[nameof(filing.FormTitle)] = [l["Say what the form is called (1 to 200 characters)."]];
        }
        if (string.IsNullOrWhiteSpace(filing.SentBy) || filing.SentBy.Trim().Length > 200)
        {
            errors[nameof(filing.SentBy)] = [l["Say who sent it (1 to 200 characters)."]];
        }
        if (filing.ReceivedOn > displayTime.Today || filing.ReceivedOn < displayTime.Today.AddYears(-2))
        {
            errors[nameof(filing.ReceivedOn)] = [l["The date {0} is not a day of the last two years.", filing.ReceivedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)]];
        }
        if ((filing.Details?.Length ?? 0) > 4000)
        {
            errors[nameof(filing.Details)] = [l["{0} is longer than {1} characters.", l["Details"], 4000]];
        }
        if ((filing.ClaimedCode?.Length ?? 0) > 40)
        {
            errors[nameof(filing.ClaimedCode)] = [l["{0} is longer than {1} characters.", l["Admission code"], 40]];
        }
        // Control and direction-override characters are refused in every text of a report, as anywhere else.
        foreach (var (field, text, label, multiline) in new[]
        {
            (nameof(filing.FormTitle), filing.FormTitle, l["Form name"].Value, false), (nameof(filing.SentBy), filing.SentBy, l["Who sent it"].Value, false),
            (nameof(filing.Details), filing.Details, l["Details"].Value, true), (nameof(filing.ClaimedCode), filing.ClaimedCode, l["Admission code"].Value, false),
        })
        {
            if (!errors.ContainsKey(field) && InputRules.Problem(text, label, l, multiline) is { } problem)
            {
                errors[field] = [problem];
            }
        }
        int? sentByDepartment = null;
        if (!string.IsNullOrWhiteSpace(filing.SentByDepartmentCode))
        {
            sentByDepartment = await db.Departments.Where(d => d.Code == filing.SentByDepartmentCode).Select(d => (int?)d.Id).SingleOrDefaultAsync();
            if (sentByDepartment is null)
            {
                errors[nameof(filing.SentByDepartmentCode)] = [l["Department '{0}' does not exist.", filing.SentByDepartmentCode]];
            }
        }
        if (files.Count > MaxFiles)
        {
            errors["files"] = [l["Attach at most {0} files.", MaxFiles]];
        }
        var kept = new List<(EvidenceFile File, KeptEvidence Kept)>();
        foreach (var file in files.Take(MaxFiles))
        {
            var (evidence, problem) = Check(file);
            if (evidence is null)
            {
                errors["files"] = [.. errors.GetValueOrDefault("files") ?? [], problem!];
            }
            else
            {
                kept.Add((file, evidence));
            }
        }
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        // Every file is checked before any is stored: a refused filing leaves nothing behind. A file stored for a
        // filing whose save then fails stays unreferenced, harmless because the store is addressed by content.
        foreach (var (_, evidence) in kept)
        {
            await store.PutAsync(evidence.Key, evidence.Content);
        }
        var now = time.GetUtcNow();
        var report = new Report
        {
            FormTitle = filing.FormTitle.Trim(),
            ClaimedCode = string.IsNullOrWhiteSpace(filing.ClaimedCode) ? null : AdmissionCodes.Clean(filing.ClaimedCode),
            SentBy = filing.SentBy.Trim(),
            SentByDepartmentId = sentByDepartment,
            Channel = filing.Channel,
            ReceivedOn = filing.ReceivedOn,
            Details = filing.Details?.Trim() ?? "",
            GroupKey = GroupKeyFor(filing.FormTitle, filing.ClaimedCode),
            ReporterUserId = reporter,
            ReporterUnitId = scope.OrgUnitId,
            RevealReporter = filing.RevealReporter,
            State = ReportState.Received,
            CreatedAt = now,
            UpdatedAt = now,
            Evidence = [.. kept.Select(k => new ReportEvidence
            {
                FileName = FileNameOf(k.File.FileName, k.Kept.ContentType),
                ContentType = k.Kept.ContentType,
                Length = k.Kept.Content.LongLength,
                StoredKey = k.Kept.Key,
                UploadedAt = now,
            })],
        };
        db.Reports.Add(report);
        await db.SaveChangesAsync();
        return (report, errors);
    }

    private sealed record KeptEvidence(byte[] Content, string ContentType, string Key);

    /// <summary>
    /// The file as it will be kept, or why not. A photo goes through the photo intake: decoded (a renamed script does
    /// not decode), turned upright, scaled, and re-encoded without metadata, so without where it was taken, whatever
    /// the unit's setting: a report must not show where its reporter stood. A PDF is kept as sent when it is whole.
    /// </summary>
    private (KeptEvidence? Evidence, string? Problem) Check(EvidenceFile file)
    {
        if (file.Content.LongLength > MaxFileBytes)
        {
            return (null, l["{0} is larger than {1} MB.", file.FileName, MaxFileBytes / 1024 / 1024]);
        }
        if (IsPdf(file.Content))
        {
            return (new KeptEvidence(file.Content, "application/pdf", Key(file.Content, "pdf")), null);
        }
        var (photo, problem) = PhotoCheck.Check(file.Content, keepLocation: false);
        if (photo is null)
        {
            return (null, problem == PhotoProblem.TooLarge
                ? l["{0} has more than {1} million pixels.", file.FileName, PhotoCheck.MaxPixels / 1_000_000]
                : l["{0} is not a photo (JPEG, PNG, WebP) or a PDF.", file.FileName]);
        }
        return (new KeptEvidence(photo.Stored, "image/jpeg", Key(photo.Stored, "jpg")), null);
    }

    /// <summary>A PDF from its start to its end marker (trailing line breaks allowed): not a file that only begins like one.</summary>
    public static bool IsPdf(ReadOnlySpan<byte> content) =>
        content.StartsWith("%PDF-"u8) && content.TrimEnd(" \r\n\t\0"u8).EndsWith("%%EOF"u8);

    private static string Key(byte[] content, string extension)
    {
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        return $"evidence/{hash[..2]}/{hash}.{extension}";
    }

    /// <summary>The name as sent, with the extension of what is kept (a PNG is kept as a JPEG).</summary>
    private static string FileNameOf(string sent, string contentType)
    {
        var name = Path.GetFileNameWithoutExtension(Path.GetFileName(sent));
        name = name.Length is > 0 and <= 190 ? name : "evidence";
        return name + (contentType == "application/pdf" ? ".pdf" : ".jpg");
    }

    public string? Investigate(Report report) => Move(report, ReportState.Investigating, ReportState.Received);

    public async Task<string?> SubstantiateAsync(Report report, FindingBody body)
    {
        if (report.State is not (ReportState.Received or ReportState.Investigating))
        {
            return l["Only a report under investigation can be decided."];
        }
        var department = string.IsNullOrWhiteSpace(body.DepartmentCode) ? null : await db.Departments.SingleOrDefaultAsync(d => d.Code == body.DepartmentCode);
        if (department is null)
        {
            return l["Name the responsible department."];
        }
        if ((body.Designer?.Length ?? 0) > 100 || (body.Note?.Length ?? 0) > 2000)
        {
            return l["{0} is longer than {1} characters.", l["Finding"], 2000];
        }
        report.State = ReportState.Substantiated;
        report.ResponsibleDepartmentId = department.Id;
        report.ResponsibleDepartment = department;
        report.ResponsibleDesigner = string.IsNullOrWhiteSpace(body.Designer) ? null : body.Designer.Trim();
        report.IssuedWithoutAdmission = body.IssuedWithoutAdmission;
        report.Finding = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim();
        report.DecidedOn = displayTime.Today;
        Touch(report);
        var now = time.GetUtcNow();
        db.Deductions.Add(new Deduction
        {
            DepartmentId = department.Id, Year = report.DecidedOn.Value.Year, Points = PointsPerSubstantiatedReport,
            Reason = DeductionReason.SubstantiatedReport, Report = report, CreatedAt = now,
        });
        if (body.IssuedWithoutAdmission)
        {
            db.Deductions.Add(new Deduction
            {
                DepartmentId = department.Id, Year = report.DecidedOn.Value.Year, Points = PointsPerFormWithoutAdmission,
                Reason = DeductionReason.FormWithoutAdmission, Report = report, CreatedAt = now,
            });
        }
        Tell(report);
        return null;
    }

    public string? Dismiss(Report report, NoteBody body)
    {
        if (report.State is not (ReportState.Received or ReportState.Investigating))
        {
            return l["Only a report under investigation can be decided."];
        }
        if (string.IsNullOrWhiteSpace(body.Note) || body.Note.Trim().Length > 2000)
        {
            return l["Say why the report is not substantiated (1 to 2000 characters); the reporter reads it."];
        }
        report.State = ReportState.NotSubstantiated;
        report.Finding = body.Note.Trim();
        report.DecidedOn = displayTime.Today;
        Touch(report);
        Tell(report);
        return null;
    }

    public string? Interview(Report report, InterviewBody body)
    {
        if (report.State != ReportState.Substantiated)
        {
            return l["Only a substantiated report leads to an interview or a rectification."];
        }
        if (body.On > displayTime.Today.AddYears(1) || body.On < report.ReceivedOn)
        {
            return l["The date {0} does not fit this case.", body.On.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)];
        }
        report.InterviewOn = body.On;
        report.InterviewNote = string.IsNullOrWhiteSpace(body.Note) ? null : body.Note.Trim()[..Math.Min(2000, body.Note.Trim().Length)];
        Touch(report);
        return null;
    }

    public string? OrderRectification(Report report, RectificationBody body)
    {
        if (report.State != ReportState.Substantiated)
        {
            return l["Only a substantiated report leads to an interview or a rectification."];
        }
        if (body.Due < displayTime.Today)
        {
            return l["The deadline {0} has already passed.", body.Due.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)];
        }
        report.RectificationDue = body.Due;
        report.RectifiedOn = null;
        Touch(report);
        return null;
    }

    public string? Rectified(Report report, DateBody body)
    {
        if (report.State != ReportState.Substantiated || report.RectificationDue is null)
        {
            return l["No rectification was ordered."];
        }
        if (body.On > displayTime.Today || body.On < report.ReceivedOn)
        {
            return l["The date {0} does not fit this case.", body.On.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)];
        }
        report.RectifiedOn = body.On;
        Touch(report);
        return null;
    }

    public string? Close(Report report)
    {
        if (report.State is not (ReportState.Substantiated or ReportState.NotSubstantiated))
        {
            return l["Only a decided report can be closed."];
        }
        if (report.RectificationDue is not null && report.RectifiedOn is null)
        {
            return l["The rectification is not done yet."];
        }
        report.State = ReportState.Closed;
        report.ClosedOn = displayTime.Today;
        Touch(report);
        Tell(report);
        return null;
    }

    private string? Move(Report report, ReportState to, ReportState from)
    {
        if (report.State != from)
        {
            return l["Only a new report can be taken up."];
        }
        report.State = to;
        Touch(report);
        return null;
    }

    private void Touch(Report report) => report.UpdatedAt = time.GetUtcNow();

    private void Tell(Report report)
    {
        foreach (var listener in listeners)
        {
            listener.Decided(report);
        }
    }
}
