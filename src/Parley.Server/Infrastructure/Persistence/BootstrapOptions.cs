namespace Parley.Server.Infrastructure.Persistence;

/// <summary>What the first start seeds (<c>Parley:Bootstrap</c>).</summary>
public sealed class BootstrapOptions
{
    public const string Section = "Parley:Bootstrap";

    /// <summary>The owner's secret key for the seeded workspace (<c>sk_…</c>); generated when not set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Origins the demo bot's publishable key accepts, besides the server's own addresses.</summary>
    public List<string> DemoOrigins { get; set; } = [];
}
