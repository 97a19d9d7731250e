namespace Parley.Data.Entities;

/// <summary>An import of an export archive into a workspace (<c>imp_…</c>), with its report.</summary>
public sealed class ImportJob : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary><c>succeeded</c>; a refused archive leaves no job behind, since an import writes nothing or everything.</summary>
    public required string Status { get; set; }

    /// <summary>SHA-256 of the uploaded archive.</summary>
    public required string ArchiveSha256 { get; init; }

    /// <summary>The report as JSON: per file, rows created, already present (skipped) and given new ids.</summary>
    public required string ReportJson { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
}
