using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Infrastructure.Shutdown;

/// <summary>How a node stops on SIGTERM (<c>Parley:Shutdown</c>); see docs/scaling.md.</summary>
public sealed class ShutdownOptions
{
    public const string Section = "Parley:Shutdown";

    /// <summary>
    /// How long a stopping node keeps serving while <c>/readyz</c> already answers unhealthy, so that a load balancer
    /// checking it stops sending before the node refuses anything. Every response meanwhile closes its connection.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the drain delay, the most the node waits for what it has under way (requests, a turn waiting on its model
    /// included, then the queue workers' current pass) before it exits anyway. The host's shutdown timeout is the two
    /// added together.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
