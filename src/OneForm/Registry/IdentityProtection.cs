using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Registry;

/// <summary>
/// Protects identity numbers: AES-GCM encryption for storage and an HMAC for look-up, both from one key
/// (<c>Registry:ProtectionKey</c>, base64, 32 bytes or more). Without one, a development key is generated once and kept
/// in the database so every app node uses the same; production sets its own.
/// </summary>
public sealed class IdentityProtection(IConfiguration configuration, ILogger<IdentityProtection> log)
{
    private const string SettingKey = "registry-protection-key";
    private byte[]? encryptionKey;
    private byte[]? hashKey;

    // Setting up AES or an HMAC for every number costs more than using it: one instance of each per thread.
    private ThreadLocal<AesGcm>? aes;
    private ThreadLocal<IncrementalHash>? hmac;

    public bool IsReady => encryptionKey is not null;

    public async Task EnsureKeyAsync(OneFormDbContext db, CancellationToken cancellationToken = default)
    {
        if (IsReady)
        {
            return;
        }
        byte[] master;
        if (configuration["Registry:ProtectionKey"] is { Length: > 0 } configured)
        {
            master = Convert.FromBase64String(configured);
            if (master.Length < 32)
            {
                throw new CommandLine.StartupProblem(Localization.LocalizationModule.Localizer["Registry:ProtectionKey must be at least 32 bytes, in base64."]);
            }
        }
        else
        {
            var stored = await db.AppSettings.FindAsync([SettingKey], cancellationToken);
            if (stored is null)
            {
                stored = new AppSetting { Key = SettingKey, Value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
                db.AppSettings.Add(stored);
                await db.SaveChangesAsync(cancellationToken);
                log.LogWarning("Generated a development key for identity numbers; set Registry:ProtectionKey in production");
            }
            master = Convert.FromBase64String(stored.Value);
        }
        encryptionKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: "oneform identity encryption"u8.ToArray());
        hashKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, info: "oneform identity lookup"u8.ToArray());
        var key = encryptionKey;
        aes = new ThreadLocal<AesGcm>(() => new AesGcm(key, 16));
        var lookupKey = hashKey;
        hmac = new ThreadLocal<IncrementalHash>(() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, lookupKey));
    }

    private byte[] Key(byte[]? key) => key ?? throw new InvalidOperationException("The identity protection key is not loaded.");

    public string Hash(string number) => HashBoth(number).Hash;

    /// <summary>The first 16 bytes of the look-up hash, for remembering which numbers a file already had.</summary>
    public (ulong, ulong) ShortHash(string number) => HashBoth(number).Short;

    /// <summary>The look-up hash and its first 16 bytes, from one HMAC.</summary>
    public (string Hash, (ulong, ulong) Short) HashBoth(string number)
    {
        Key(hashKey);
        Span<byte> hash = stackalloc byte[32];
        var mac = hmac!.Value!;
        mac.AppendData(Encoding.ASCII.GetBytes(number));
        mac.GetHashAndReset(hash);
        return (Convert.ToHexStringLower(hash), (BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..])));
    }

    public string Protect(string number)
    {
        var plain = Encoding.ASCII.GetBytes(number);
        var sealedValue = new byte[12 + 16 + plain.Length];
        var nonce = sealedValue.AsSpan(0, 12);
        RandomNumberGenerator.Fill(nonce);
        Key(encryptionKey);
        aes!.Value!.Encrypt(nonce, plain, sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16));
        return Convert.ToBase64String(sealedValue);
    }

    public string Unprotect(string protectedValue)
    {
        var sealedValue = Convert.FromBase64String(protectedValue);
        var plain = new byte[sealedValue.Length - 28];
        Key(encryptionKey);
        aes!.Value!.Decrypt(sealedValue.AsSpan(0, 12), sealedValue.AsSpan(28), sealedValue.AsSpan(12, 16), plain);
        return Encoding.ASCII.GetString(plain);
    }
}
