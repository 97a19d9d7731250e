using Microsoft.AspNetCore.Cors.Infrastructure;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Infrastructure.Http;

/// <summary>
/// The widget calls the API from the business's own site. Any origin may make the request: publishable keys are
/// checked against their allowed origins, and credentials are bearer tokens, never cookies, so CORS guards nothing else.
/// </summary>
public static class WidgetCors
{
    public static void Policy(CorsPolicyBuilder policy) => policy
        .SetIsOriginAllowed(_ => true)
        .WithHeaders("Authorization", "Content-Type", IdempotencyMiddleware.Header, "Last-Event-ID")
        .WithMethods("GET", "POST")
        .WithExposedHeaders(RequestIds.Header, "Server-Timing", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
        .SetPreflightMaxAge(TimeSpan.FromHours(1));
}
