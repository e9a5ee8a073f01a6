using Microsoft.AspNetCore.Authorization;

namespace OneForm.Web;

/// <summary>
/// A caller whose kind may not read a resource named in the path (a task, a photo, a unit's file) is told it does not
/// exist, as a caller out of scope is: 404, so that refusals say nothing of what exists. Other refusals stay 401/403.
/// </summary>
internal sealed class HiddenResourceResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler inner = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy,
        Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
    {
        var request = context.Request;
        if (authorizeResult.Forbidden && (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            && request.Path.StartsWithSegments("/api") && request.RouteValues.Keys.Any(NamesAResource))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }
        return inner.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>A task's or photo's id, a unit's or element's code: what a refusal must not confirm. A year is no secret.</summary>
    private static bool NamesAResource(string parameter) =>
        parameter.Equals("id", StringComparison.OrdinalIgnoreCase) || parameter.EndsWith("Id", StringComparison.Ordinal)
        || parameter.Equals("code", StringComparison.OrdinalIgnoreCase);
}
