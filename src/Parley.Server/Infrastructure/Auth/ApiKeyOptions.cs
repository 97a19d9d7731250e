using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Infrastructure.Auth;

/// <summary>Settings for API keys and widget sessions (<c>Parley:ApiKeys</c>).</summary>
public sealed class ApiKeyOptions
{
    public const string Section = "Parley:ApiKeys";

    /// <summary>How often the last-used time of keys is written to the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan LastUsedFlushInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a widget session token stays valid after it is issued.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan WidgetSessionLifetime { get; set; } = TimeSpan.FromDays(30);
}
