using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>Says in the 403 problem which credential or scope the endpoint needs.</summary>
public sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var needed = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<AccessRequirement>().FirstOrDefault();
            return Problems.WriteAsync(context, StatusCodes.Status403Forbidden, ErrorCodes.Forbidden,
                needed?.Describe() ?? "This credential may not do that.");
        }
        return _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
