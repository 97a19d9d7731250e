using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Analytics;

/// <summary>An app whose roll-up worker only runs when a test calls it, and that may call loopback model servers.</summary>
public class AnalyticsApp : ParleyApp
{
    public AnalyticsApp()
    {
        With("Parley:Analytics:RollupWorker", "false");
        With("Parley:Network:AllowPrivateTargets", "true");
    }
}

/// <summary>An <see cref="AnalyticsApp"/> on a clock the test moves: days pass without waiting.</summary>
public sealed class ClockedAnalyticsApp : AnalyticsApp
{
    /// <summary>Monday 2 March 2026, 10:00 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    public ClockedAnalyticsApp()
    {
        // A periodic timer fires once per period the clock moves: keep the periods long when whole days pass.
        With("Parley:ApiKeys:LastUsedFlushInterval", "01:00:00");
    }

    public FakeTimeProvider Time { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
