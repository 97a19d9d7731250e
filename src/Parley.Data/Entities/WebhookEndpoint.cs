namespace Parley.Data.Entities;

/// <summary>A subscription: events of the listed types are signed and POSTed to <see cref="Url"/>.</summary>
public sealed class WebhookEndpoint : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }
    public required string Url { get; set; }
    public string? Description { get; set; }

    /// <summary>Event types to deliver; <c>*</c> means all.</summary>
    public List<string> Events { get; set; } = [];

    public bool Enabled { get; set; } = true;

    /// <summary>Why the endpoint was disabled automatically (410 Gone, failing for days); null when enabled or disabled by hand.</summary>
    public string? DisabledReason { get; set; }

    /// <summary>The signing secret (<c>whsec_…</c>), encrypted with ASP.NET Data Protection.</summary>
    public required string SecretProtected { get; set; }

    /// <summary>The secret before the last rotation, still signing alongside the new one until <see cref="PreviousSecretExpiresAt"/>.</summary>
    public string? PreviousSecretProtected { get; set; }

    public DateTimeOffset? PreviousSecretExpiresAt { get; set; }

    /// <summary>When the current run of failures began; null after a success.</summary>
    public DateTimeOffset? FailingSince { get; set; }

    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? LastFailureAt { get; set; }
    public string? LastFailure { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
