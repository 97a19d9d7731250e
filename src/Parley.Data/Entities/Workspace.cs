namespace Parley.Data.Entities;

public sealed class Workspace
{
    public required string Id { get; init; }
    public required string Name { get; set; }

    /// <summary>Where email notifications go (new leads, handoffs, a webhook endpoint disabled).</summary>
    public List<string> NotificationEmails { get; set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
}
