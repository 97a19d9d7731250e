namespace Parley.Client.Models;

public sealed record CreateExportRequest(bool? IncludePii = null, List<string>? BotIds = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);

public sealed record ExportResponse(
    string Id, string Status, int Progress, bool IncludePii, IReadOnlyList<string> BotIds, DateTimeOffset? Since, DateTimeOffset? Until,
    IReadOnlyDictionary<string, long> Counts, long? SizeBytes, string? Sha256, string? Error, string? DownloadUrl,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

public sealed record ImportResponse(string Id, string Status, string ArchiveSha256, ImportReport Report, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

public sealed record ImportReport(IReadOnlyDictionary<string, ImportFileReport> Files, IReadOnlyList<string> Notes);

public sealed record ImportFileReport(long Rows, long Created, long Skipped, long Remapped, long Merged, long NotRestored = 0);

/// <summary>An import from another platform: the bot it went into and every source block's outcome.</summary>
public sealed record PlatformImportResponse(
    string Id, string Source, string Status, string FileSha256, string BotId, string Name, int? PublishedVersion, bool Repeated,
    PlatformImportSummary Summary, IReadOnlyList<ImportedBlock> Blocks, IReadOnlyList<string> Notes, IReadOnlyList<string> KnowledgeSourceIds,
    IReadOnlyList<string> ModelProviderIds, DateTimeOffset CreatedAt);

public sealed record PlatformImportSummary(
    int Blocks, int Created, int Approximate, int NotCarried, int Conversations, int Messages, int Contacts, int AgentNotes, int Leads,
    int SkippedMessages);

/// <summary>One block of the source: <c>created</c>, <c>approximate</c> or <c>not_carried</c>, with the reason in <see cref="Note"/>.</summary>
public sealed record ImportedBlock(string Group, string BlockId, string SourceType, string Outcome, IReadOnlyList<string> Nodes, string? Note);
