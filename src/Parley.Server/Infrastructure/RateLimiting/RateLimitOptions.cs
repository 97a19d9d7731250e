using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Infrastructure.RateLimiting;

/// <summary>Request rate limits per caller (<c>Parley:RateLimits</c>), each per minute.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "Parley:RateLimits";

    /// <summary>Requests per minute for one secret key.</summary>
    [Range(1, int.MaxValue)]
    public int SecretKeyPerMinute { get; set; } = 600;

    /// <summary>Messages (POSTs) per minute for one widget session.</summary>
    [Range(1, 100_000)]
    public int WidgetMessagesPerMinute { get; set; } = 30;

    /// <summary>Other requests (transcript reads) per minute for one widget session.</summary>
    [Range(1, 100_000)]
    public int WidgetReadsPerMinute { get; set; } = 120;

    /// <summary>Widget sessions opened per minute from one IP address.</summary>
    [Range(1, 100_000)]
    public int WidgetSessionsPerMinutePerIp { get; set; } = 20;
}
