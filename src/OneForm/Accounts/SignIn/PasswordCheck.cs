using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using OneForm.Data;
using OneForm.Localization;
using OneForm.Accounts;

namespace OneForm.Accounts.SignIn;

/// <summary>
/// The one password check behind the sign-in page and the API. An unknown account, a wrong password, and a
/// disabled account with a wrong password all answer alike and take alike (one password hash each), so neither
/// the message nor the time tells which accounts exist.
/// </summary>
public sealed class PasswordCheck(UserManager<OneFormUser> users, SignInManager<OneFormUser> signIn, IStringLocalizer<SharedResource> l,
    OneFormDbContext db, AuditActor actor)
{
    // A hash of a password nobody knows, checked for accounts that do not exist or cannot be tried now.
    private static readonly string DecoyHash =
        new PasswordHasher<OneFormUser>().HashPassword(new OneFormUser(), Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)));

    /// <summary>The account if the password is right and it may sign in now; otherwise why not, and the refusal is in the audit trail.</summary>
    public async Task<(OneFormUser? User, string? Problem)> CheckAsync(string? userName, string? password)
    {
        var (user, problem) = await TryAsync(userName, password);
        if (problem is not null)
        {
            await SecurityAudit.SignInFailedAsync(db, actor, userName, problem);
        }
        return (user, problem);
    }

    private async Task<(OneFormUser? User, string? Problem)> TryAsync(string? userName, string? password)
    {
        password ??= "";
        var user = string.IsNullOrWhiteSpace(userName) ? null : await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            Decoy(password);
            return (null, l["Wrong user name or password."]);
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return (user, null);
        }
        if (result.IsLockedOut)
        {
            Decoy(password);
            return (null, l["This account is locked after too many failed attempts; try again in 15 minutes."]);
        }
        if (result.IsNotAllowed)
        {
            // Only someone who knows the password learns that the account is disabled.
            return (null, await users.CheckPasswordAsync(user, password) ? l["This account is disabled."] : l["Wrong user name or password."]);
        }
        return (null, l["Wrong user name or password."]);
    }

    private void Decoy(string password) => users.PasswordHasher.VerifyHashedPassword(new OneFormUser(), DecoyHash, password);
}
