using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

/// <summary>
/// A server on a clock the test moves, whose assignment sweep runs only when a test calls it: minutes pass without
/// waiting, and each sweep happens exactly when the test says.
/// </summary>
public sealed class ClockedAssignmentApp : ParleyApp
{
    public ClockedAssignmentApp()
    {
        Configure();
    }

    /// <summary>A second node beside <paramref name="nodeA"/>: its database, data directory and clock.</summary>
    internal ClockedAssignmentApp(ClockedAssignmentApp nodeA) : base(nodeA.DataDirectory, nodeA.PostgresDatabase)
    {
        Time = nodeA.Time;
        KeepDatabase = true;
        Configure();
    }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    private void Configure()
    {
        With("Parley:Handoff:AssignmentWorker", "false");
        // Agents stay online while the clock moves on by many minutes.
        With("Parley:Handoff:AgentOnlineWindow", "1.00:00:00");
        // Periodic timers fire once per period the clock moves: keep them long.
        With("Parley:ApiKeys:LastUsedFlushInterval", "01:00:00");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Time));
    }
}
