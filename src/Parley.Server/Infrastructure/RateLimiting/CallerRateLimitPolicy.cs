using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Infrastructure.RateLimiting;

/// <summary>
/// One fixed one-minute window per caller: per secret key, per widget session (messages and reads apart), and per
/// client IP for opening widget sessions with a publishable key.
/// </summary>
public sealed class CallerRateLimitPolicy(IOptionsMonitor<RateLimitOptions> options) : IRateLimiterPolicy<string>
{
    public const string Name = "caller";
    internal const string LimitItem = "parley.ratelimit.limit";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        var limits = options.CurrentValue;
        var caller = httpContext.RequestServices.GetRequiredService<Caller>();
        var (key, limit) = caller.Kind switch
        {
            _ when !caller.IsAuthenticated => ("anonymous", 0),
            CallerKind.SecretKey => ("key:" + caller.KeyId, limits.SecretKeyPerMinute),
            CallerKind.WidgetSession when HttpMethods.IsPost(httpContext.Request.Method) =>
                ("session-messages:" + caller.ContactId, limits.WidgetMessagesPerMinute),
            CallerKind.WidgetSession => ("session-reads:" + caller.ContactId, limits.WidgetReadsPerMinute),
            _ => ("ip:" + httpContext.Connection.RemoteIpAddress, limits.WidgetSessionsPerMinutePerIp),
        };
        if (limit == 0)
        {
            // Unauthenticated requests are refused by authorization right after this; nothing to count.
            return RateLimitPartition.GetNoLimiter(key);
        }
        httpContext.Items[LimitItem] = limit;
        return RateLimitPartition.GetFixedWindowLimiter(key + "/" + limit, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = TimeSpan.FromMinutes(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
