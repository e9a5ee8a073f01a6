using Microsoft.EntityFrameworkCore;
using OneForm.Data;

namespace OneForm.Accounts;

/// <summary>Accounts as other modules' pages read them.</summary>
public static class AccountQueries
{
    public static Task<int> CountAsync(OneFormDbContext db) => db.Users.CountAsync();
}
