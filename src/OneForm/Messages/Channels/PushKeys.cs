using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;
using OneForm.Registry;

namespace OneForm.Messages.Channels;

/// <summary>
/// The app's VAPID key pair (P-256), made once on first use and kept in the settings table, not in appsettings: every
/// node signs with the same pair, and a browser's subscription stays valid across restarts. The private key is kept
/// encrypted with the app's data-protection keys (themselves kept in the database), like the robots' secrets.
/// </summary>
public sealed class VapidKeys(OneFormDbContext db, IDataProtectionProvider protection)
{
    internal const string PublicKeySetting = "Push.VapidPublicKey";
    internal const string PrivateKeySetting = "Push.VapidPrivateKey";

    private IDataProtector Protector => protection.CreateProtector(ChannelSecrets.Purpose);

    /// <summary>The public key (base64url of the uncompressed point) and the private key (base64url of the scalar).</summary>
    public async Task<(string PublicKey, string PrivateKey)> GetAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var kept = await db.AppSettings.AsNoTracking().Where(s => s.Key == PublicKeySetting || s.Key == PrivateKeySetting)
                .ToDictionaryAsync(s => s.Key, s => s.Value, cancellationToken);
            if (kept.TryGetValue(PublicKeySetting, out var publicKey) && kept.TryGetValue(PrivateKeySetting, out var privateKey))
            {
                return (publicKey, Protector.Unprotect(privateKey));
            }
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var parameters = key.ExportParameters(includePrivateParameters: true);
            var (made, secret) = (Base64Url.EncodeToString([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]), Base64Url.EncodeToString(parameters.D));
            db.AppSettings.Add(new AppSetting { Key = PublicKeySetting, Value = made });
            db.AppSettings.Add(new AppSetting { Key = PrivateKeySetting, Value = Protector.Protect(secret) });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return (made, secret);
            }
            catch (DbUpdateException) when (attempt == 0)
            {
                // Another node made its pair at the same moment: use that one.
                db.ChangeTracker.Clear();
            }
        }
    }

    public async Task<string> PublicKeyAsync(CancellationToken cancellationToken = default) => (await GetAsync(cancellationToken)).PublicKey;
}

/// <summary>The data-protection purpose of the channels' secrets (the VAPID private key, the robots' signing secrets).</summary>
internal static class ChannelSecrets
{
    public const string Purpose = "OneForm.Messages.Channels";
}

/// <summary>
/// Where a browser's push endpoint may be: the server posts to the URL the browser gives, so only the push services'
/// own hosts are accepted (<c>Push:AllowedHosts</c>; "*.host" for its subdomains), and no address inside the network.
/// </summary>
public sealed class PushTargets(IConfiguration configuration)
{
    public static readonly string[] Defaults =
        ["fcm.googleapis.com", "updates.push.services.mozilla.com", "*.notify.windows.com", "web.push.apple.com", "*.push.apple.com"];

    public IReadOnlyList<string> AllowedHosts
    {
        get
        {
            var section = configuration.GetSection("Push:AllowedHosts");
            List<string> configured = [.. section.GetChildren().Select(c => c.Value).Append(section.Value)
                .SelectMany(v => (v ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
            return configured.Count > 0 ? configured : Defaults;
        }
    }

    public bool IsAllowed(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" && string.IsNullOrEmpty(url.UserInfo)
        && AllowedHosts.Any(allowed => allowed.StartsWith("*.", StringComparison.Ordinal)
            ? url.Host.EndsWith(allowed[1..], StringComparison.OrdinalIgnoreCase)
            : string.Equals(url.Host, allowed, StringComparison.OrdinalIgnoreCase));
}
