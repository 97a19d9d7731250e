using Microsoft.AspNetCore.Authorization;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>Who may call an endpoint: secret keys holding a scope, and optionally widget sessions or publishable keys.</summary>
public sealed record AccessRequirement(string? Scope, bool AllowWidgetSession = false, bool AllowPublishableKey = false)
    : IAuthorizationRequirement
{
    public string Describe() => Scope is null
        ? "This endpoint needs a publishable key."
        : $"This endpoint needs a secret key with the scope '{Scope}'" + (AllowWidgetSession ? " or a widget session." : ".");
}

public sealed class AccessRequirementHandler(Caller caller) : AuthorizationHandler<AccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, AccessRequirement requirement)
    {
        var allowed = caller.Kind switch
        {
            CallerKind.SecretKey or CallerKind.User => requirement.Scope is not null && caller.HasScope(requirement.Scope),
            CallerKind.WidgetSession => requirement.AllowWidgetSession,
            CallerKind.PublishableKey => requirement.AllowPublishableKey,
            _ => false,
        };
        if (caller.IsAuthenticated && allowed)
        {
            context.Succeed(requirement);
        }
        return Task.CompletedTask;
    }
}

public static class AccessExtensions
{
    /// <summary>Only secret keys holding <paramref name="scope"/> (or unscoped) may call these endpoints.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(new AccessRequirement(scope)));

    /// <summary>Secret keys holding <paramref name="scope"/>, or a widget session (checked against its own contact).</summary>
    public static TBuilder RequireScopeOrWidgetSession<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(new AccessRequirement(scope, AllowWidgetSession: true)));

    /// <summary>Only publishable keys (from an allowed origin) may call these endpoints.</summary>
    public static TBuilder RequirePublishableKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(new AccessRequirement(null, AllowPublishableKey: true)));

    private static AuthorizationPolicy Policy(AccessRequirement requirement) =>
        new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName)
            .RequireAuthenticatedUser()
            .AddRequirements(requirement)
            .Build();
}
