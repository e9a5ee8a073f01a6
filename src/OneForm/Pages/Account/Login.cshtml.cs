using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using OneForm.Accounts;
using OneForm.Accounts.SignIn;
using OneForm.Localization;

namespace OneForm.Pages.Account;

public sealed class LoginModel(SignInManager<OneFormUser> signIn, PasswordCheck passwords) : PageModel
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
        var (user, problem) = await passwords.CheckAsync(Input.UserName, Input.Password);
        if (user is not null)
        {
            await signIn.SignInAsync(user, isPersistent: false);
            return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
        }
        Problem = problem;
        return Page();
    }
}
