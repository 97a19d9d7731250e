namespace Parley.Data.Entities;

/// <summary>A visitor or customer the bots talk to.</summary>
public sealed class Contact : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>The business's own id for this person, if the integration gave one.</summary>
    public string? ExternalId { get; set; }

    /// <summary>Name, email, phone and attributes are encrypted at rest (see <c>docs/security.md</c>).</summary>
    public string? Name { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public Dictionary<string, string> Attributes { get; set; } = [];

    /// <summary>The keyed hash of the normalised email, kept in step with <see cref="Email"/> on save.</summary>
    public string? EmailIndex { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastSeenAt { get; set; }
}
