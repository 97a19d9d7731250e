using Microsoft.AspNetCore.Authorization;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>Only a person signed in to the dashboard (the session cookie), whatever their role.</summary>
public sealed class SignedInUserRequirement : AuthorizationHandler<SignedInUserRequirement>, IAuthorizationRequirement
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SignedInUserRequirement requirement)
    {
        if (context.Resource is HttpContext http && http.RequestServices.GetRequiredService<Caller>().Kind == CallerKind.User)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

public static class SignedInUserExtensions
{
    private static readonly AuthorizationPolicy Policy = new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
        .RequireAuthenticatedUser()
        .AddRequirements(new SignedInUserRequirement())
        .Build();

    /// <summary>Only a signed-in dashboard user may call these endpoints (keys and widget sessions get 403).</summary>
    public static TBuilder RequireSignedInUser<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy);
}
