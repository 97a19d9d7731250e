using System.Globalization;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace Parley.Server.Tests.Infrastructure.Background;

/// <summary>What the leased-work tests set on a node: a real SMTP server, loopback webhook receivers, quick polling.</summary>
public static class LeasedWork
{
    public static ParleyApp Deliver(this ParleyApp node, SmtpTestServer smtp) => node
        .With("Parley:Network:AllowPrivateTargets", "true")
        .With("Parley:Webhooks:Timeout", "00:00:02")
        .With("Parley:Webhooks:PollInterval", "00:00:00.050")
        .With("Parley:Smtp:Host", "127.0.0.1")
        .With("Parley:Smtp:Port", smtp.Port.ToString(CultureInfo.InvariantCulture))
        .With("Parley:Smtp:Security", "none")
        .With("Parley:Smtp:From", "Parley <parley@shop.example>");

    public static T Worker<T>(this ParleyApp node) where T : IHostedService =>
        node.Services.GetServices<IHostedService>().OfType<T>().Single();

    /// <summary>The Message-ID header of a raw email.</summary>
    public static string MessageId(string rawEmail) =>
        rawEmail.Split('\n').Select(l => l.TrimEnd('\r')).First(l => l.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))["Message-ID:".Length..].Trim();
}

/// <summary>A node on a clock the test moves, so leases lapse without waiting.</summary>
public sealed class ClockedNode : ParleyApp
{
    public ClockedNode()
    {
        KeepLongTimers();
    }

    /// <summary>A node beside another, on its data directory and database (see <see cref="TwoNodes"/>).</summary>
    internal ClockedNode(string dataDirectory, string? postgresDatabase) : base(dataDirectory, postgresDatabase)
    {
        KeepLongTimers();
    }

    private void KeepLongTimers()
    {
        // Periodic timers fire once per period the clock moves: keep them long.
        With("Parley:ApiKeys:LastUsedFlushInterval", "01:00:00");
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
