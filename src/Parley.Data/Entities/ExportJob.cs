namespace Parley.Data.Entities;

/// <summary>A full workspace export (<c>exp_…</c>): queued by the API, built into a zip archive by the export worker.</summary>
public sealed class ExportJob : IWorkspaceOwned, ILeased
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary><c>pending</c>, <c>running</c>, <c>succeeded</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    /// <summary>Whether contact PII is written in clear (the caller held <c>export:pii</c>).</summary>
    public bool IncludePii { get; init; }

    /// <summary>Only these bots and their conversations; empty means every bot.</summary>
    public List<string> BotIds { get; init; } = [];

    public DateTimeOffset? Since { get; init; }
    public DateTimeOffset? Until { get; init; }

    /// <summary>0 to 100.</summary>
    public int Progress { get; set; }

    /// <summary>Rows written per archive file, as JSON (<c>{"messages.ndjson": 120}</c>).</summary>
    public Dictionary<string, long> Counts { get; set; } = [];

    public long? SizeBytes { get; set; }
    public string? Sha256 { get; set; }
    public string? Error { get; set; }
    public int Attempts { get; set; }

    /// <summary>A node building the archive holds the job until then; another node may take it over afterwards.</summary>
    public DateTimeOffset? LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
