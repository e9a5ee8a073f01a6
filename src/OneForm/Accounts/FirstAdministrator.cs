using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OneForm.Localization;

namespace OneForm.Accounts;

/// <summary>Outside demo mode, the first start creates <c>admin</c> with a generated password, printed once.</summary>
internal sealed class FirstAdministrator(UserManager<OneFormUser> users, TimeProvider time)
{
    public const string UserName = "admin";

    public async Task EnsureAsync(TextWriter output)
    {
        if (await users.Users.AnyAsync())
        {
            return;
        }
        var password = GeneratePassword();
        var admin = new OneFormUser { UserName = UserName, DisplayName = "Administrator", Role = Role.Administrator, CreatedAt = time.GetUtcNow() };
        var result = await users.CreateAsync(admin, password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
        var l = LocalizationModule.Localizer;
        await output.WriteLineAsync(l["OneForm created the account '{0}' with the password below. It is shown only this once: sign in and change it.", UserName]);
        await output.WriteLineAsync($"    {UserName} / {password}");
    }

    private static string GeneratePassword()
    {
        const string letters = "abcdefghijkmnpqrstuvwxyz";
        const string digits = "23456789";
        const string all = letters + digits + "ABCDEFGHJKLMNPQRSTUVWXYZ";
        var chars = RandomNumberGenerator.GetItems<char>(all, 14).ToList();
        chars.Insert(RandomNumberGenerator.GetInt32(chars.Count), RandomNumberGenerator.GetItems<char>(letters, 1)[0]);
        chars.Insert(RandomNumberGenerator.GetInt32(chars.Count), RandomNumberGenerator.GetItems<char>(digits, 1)[0]);
        return new string([.. chars]);
    }
}
