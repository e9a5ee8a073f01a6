using Microsoft.AspNetCore.Authorization;
using OneForm.Organization;

namespace OneForm.Accounts;

/// <summary>Meets an operation's requirement when the caller is of a kind the operation admits (see <see cref="Operations"/>).</summary>
internal sealed class CallerKindHandler : IAuthorizationHandler
{
    public Task HandleAsync(AuthorizationHandlerContext context)
    {
        var scope = CallerScope.From(context.User);
        foreach (var requirement in context.PendingRequirements.ToList())
        {
            var met = requirement switch
            {
                OperationRequirement operation => scope is not null && scope.Admits(operation.Operation),
                PersonRequirement => scope is not null && (scope.Kind & Callers.People) != 0,
                _ => (bool?)null,
            };
            if (met == true)
            {
                context.Succeed(requirement);
            }
        }
        return Task.CompletedTask;
    }
}
