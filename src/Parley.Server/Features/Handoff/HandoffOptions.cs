using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Handoff;

/// <summary>Human handoff settings (<c>Parley:Handoff</c>).</summary>
public sealed class HandoffOptions
{
    public const string Section = "Parley:Handoff";

    /// <summary>
    /// An agent counts as available when one of the workspace's keys with the <c>agent</c> scope was used within this
    /// window (any request, including an open conversation stream). With none available, visitors are asked for
    /// contact details instead of being left waiting.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan AgentOnlineWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The typical minutes one conversation takes an agent, for the wait estimate told to visitors.</summary>
    [Range(1, 240)]
    public int MinutesPerConversation { get; set; } = 5;

    /// <summary>How often an open stream checks the database for events from other nodes (the in-process signal is immediate).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan StreamPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether this node runs the assignment sweep (auto-assignment and reassignment by the workspaces' assignment
    /// rules). Any number of nodes may: a workspace is swept by one node at a time.
    /// </summary>
    public bool AssignmentWorker { get; set; } = true;

    /// <summary>
    /// How often the assignment sweep looks at every workspace with rules on, for overdue replies and for waiting
    /// conversations someone now has room for. A handoff, a conversation given back or closed, or an agent coming
    /// online on this node starts a sweep at once.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:10:00")]
    public TimeSpan AssignmentSweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A comment sent on an idle stream so proxies keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);
}
