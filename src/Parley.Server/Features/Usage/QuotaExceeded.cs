using System.Globalization;
using Parley.Engine.Usage;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Usage;

/// <summary>The 429 <c>quota_exceeded</c> problem: what ran out, the limit, and when the period resets.</summary>
public static class QuotaExceeded
{
    public static ApiException For(string metric, long limit, UsagePeriod period, DateTimeOffset? now = null)
    {
        var resetsAt = period.End;
        var what = metric switch
        {
            UsageMetrics.ConversationsStarted => "conversations",
            UsageMetrics.Messages => "messages",
            UsageMetrics.AiTokens => "AI tokens",
            _ => metric,
        };
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"This workspace has used its plan's {limit} {what} for {period} ({metric}); the limit resets at {resetsAt:yyyy-MM-dd'T'HH:mm:ss'Z'}. Raise the plan's limit or wait for the reset.");
        var seconds = now is { } at ? Math.Max(1, (long)Math.Ceiling((resetsAt - at).TotalSeconds)) : (long?)null;
        return new ApiException(StatusCodes.Status429TooManyRequests, ErrorCodes.QuotaExceeded, detail)
        {
            RetryAfterSeconds = seconds is { } s ? (int)Math.Min(s, int.MaxValue) : null,
        };
    }
}
