using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Localization;

namespace OneForm.Pages.Account;

public sealed class LoginModel(SignInManager<OneFormUser> signIn, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class LoginInput
    {
        [Required(ErrorMessage = "Enter your user name.")]
        [Display(Name = "User name")]
        public string UserName { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [DataType(DataType.Password)]
        [Display(Name = "Password")]
        public string Password { get; set; } = "";
    }

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Problem { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var result = await signIn.PasswordSignInAsync(Input.UserName.Trim(), Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        Problem = result.IsLockedOut
            ? l["This account is locked after too many failed attempts; try again in 15 minutes."]
            : result.IsNotAllowed
                ? l["This account is disabled."]
                : l["Wrong user name or password."];
        await OneForm.Oversight.Audit.SecurityAudit.SignInFailedAsync(HttpContext.RequestServices, Input.UserName, Problem);
        return Page();
    }
}
