namespace Parley.Data.Entities;

/// <summary>A person who left their details (<c>lead_…</c>); one per email address and workspace.</summary>
public sealed class Lead : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public string? BotId { get; set; }
    public string? ConversationId { get; set; }
    public string? ContactId { get; set; }

    /// <summary>Encrypted at rest, like <see cref="Email"/>, <see cref="Phone"/> and <see cref="Custom"/>.</summary>
    public string? Name { get; set; }
    public string? Email { get; set; }

    /// <summary>E.164 when the number could be parsed.</summary>
    public string? Phone { get; set; }
    public string? Company { get; set; }
    public Dictionary<string, string> Custom { get; set; } = [];

    /// <summary>The keyed hash of the normalised email: the only way to find a lead by email.</summary>
    public string? EmailIndex { get; set; }

    /// <summary>One of <c>new</c>, <c>contacted</c>, <c>qualified</c>, <c>won</c>, <c>lost</c>.</summary>
    public required string Status { get; set; }
    public int Score { get; set; }
    public string? PageUrl { get; set; }
    public string? Referrer { get; set; }
    public Dictionary<string, string> Utm { get; set; } = [];
    /// <summary>Bumped by every change; concurrent captures of one email cannot overwrite each other (optimistic concurrency).</summary>
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
