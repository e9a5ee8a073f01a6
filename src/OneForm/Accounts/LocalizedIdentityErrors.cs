using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;
using OneForm.Localization;

namespace OneForm.Accounts;

/// <summary>Identity's messages in the caller's language.</summary>
internal sealed class LocalizedIdentityErrors(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    private IdentityError Error(string code, string text) => new() { Code = code, Description = text };

    public override IdentityError DefaultError() => Error(nameof(DefaultError), l["An unknown failure has occurred."]);
    public override IdentityError ConcurrencyFailure() =>
        Error(nameof(ConcurrencyFailure), l["Someone else changed this account meanwhile; reload the page and try again."]);
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), l["The current password is wrong."]);
    public override IdentityError InvalidUserName(string? userName) =>
        Error(nameof(InvalidUserName), l["User name '{0}' is invalid: use letters, digits and . - _ only.", userName ?? ""]);
    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), l["User name '{0}' is already taken.", userName]);
    public override IdentityError PasswordTooShort(int length) =>
        Error(nameof(PasswordTooShort), l["The password must have at least {0} characters.", length]);
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), l["The password must contain a digit (0-9)."]);
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), l["The password must contain a lowercase letter (a-z)."]);
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), l["The password must contain an uppercase letter (A-Z)."]);
    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        Error(nameof(PasswordRequiresNonAlphanumeric), l["The password must contain a symbol."]);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) =>
        Error(nameof(PasswordRequiresUniqueChars), l["The password must use at least {0} different characters.", uniqueChars]);
}
