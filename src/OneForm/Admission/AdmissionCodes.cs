using System.Text;
using Microsoft.EntityFrameworkCore;
using OneForm.Catalog;
using OneForm.Data;
using QRCoder;

namespace OneForm.Admission;

public enum CodeStatus
{
    Admitted,
    Expired,
    Retired,
    Unknown,
}

public sealed record CodeCheck(string Code, CodeStatus Status, string? FormCode, int? Version, string? FormName, string? Issuer,
    string? IssuerName, string? Designer, IReadOnlyList<string> TargetLevels, string? Below, DateOnly? ValidFrom, DateOnly? ValidTo);

/// <summary>
/// Admission codes anyone can check, without signing in: admitted (by whom, for which units, until when), expired,
/// retired, or unknown. A form pushed on a unit with a code that does not check out may be refused and reported.
/// </summary>
public static class AdmissionCodes
{
    public const int MaxLength = 40;

    public static string Clean(string? code) => (code ?? "").Normalize(NormalizationForm.FormKC).Trim().ToUpperInvariant();

    public static async Task<CodeCheck> CheckAsync(OneFormDbContext db, string? code, DateOnly today)
    {
        var clean = Clean(code);
        var form = clean.Length is 0 or > MaxLength ? null
            : await db.Forms.AsNoTracking().Include(f => f.IssuingDepartment).SingleOrDefaultAsync(f => f.AdmissionCode == clean);
        if (form is null)
        {
            return new CodeCheck(clean, CodeStatus.Unknown, null, null, null, null, null, null, [], null, null, null);
        }
        var status = form.Status == FormStatus.Retired ? CodeStatus.Retired
            : form.ValidTo is { } until && until < today ? CodeStatus.Expired
            : CodeStatus.Admitted;
        var below = form.TargetSubtreePath is { } path
            ? await db.OrgUnits.AsNoTracking().Where(u => u.Path == path).Select(u => u.Name).SingleOrDefaultAsync()
            : null;
        return new CodeCheck(clean, status, form.Code, form.Version, form.Name, form.IssuingDepartment?.Code, form.IssuingDepartment?.Name,
            form.Designer, [.. form.Levels.Select(l => l.ToString())], below, form.ValidFrom, form.ValidTo);
    }

    /// <summary>A QR code (SVG) of the public page that checks the code.</summary>
    public static string QrSvg(string verifyUrl)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(verifyUrl, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(4);
    }
}
