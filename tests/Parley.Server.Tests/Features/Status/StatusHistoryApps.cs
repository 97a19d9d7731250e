using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Status;

/// <summary>
/// An app on a clock the test moves, whose status is computed on every request, with email configured to an SMTP
/// port where no server listens (until a test starts one there). Its sampler samples only when a test calls it,
/// unless it is a <see cref="SamplingStatusApp"/>.
/// </summary>
public class ClockedStatusApp : ParleyApp
{
    private readonly bool _samplerRuns;
    /// <summary>Monday 2 March 2026, 10:00:30 UTC.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 30, TimeSpan.Zero);

    public ClockedStatusApp() : this(samplerRuns: false)
    {
    }

    protected ClockedStatusApp(bool samplerRuns)
    {
        _samplerRuns = samplerRuns;
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public int SmtpPort { get; } = SmtpTestServer.FreePort();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        With("Parley:Status:CacheDuration", "00:00:00");
        With("Parley:Status:HistorySampler", _samplerRuns ? "true" : "false");
        // A periodic timer fires once per period the clock moves.
        With("Parley:ApiKeys:LastUsedFlushInterval", "01:00:00");
        With("Parley:Smtp:Host", "127.0.0.1");
        With("Parley:Smtp:Port", SmtpPort.ToString(CultureInfo.InvariantCulture));
        With("Parley:Smtp:Security", "none");
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}

/// <summary>A <see cref="ClockedStatusApp"/> whose sampler runs on its own, at each minute of the fake clock.</summary>
public sealed class SamplingStatusApp() : ClockedStatusApp(samplerRuns: true);
