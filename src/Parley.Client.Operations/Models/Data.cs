namespace Parley.Client.Models;

public sealed record CreateExportRequest(bool? IncludePii = null, List<string>? BotIds = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);

public sealed record ExportResponse(
    string Id, string Status, int Progress, bool IncludePii, IReadOnlyList<string> BotIds, DateTimeOffset? Since, DateTimeOffset? Until,
    IReadOnlyDictionary<string, long> Counts, long? SizeBytes, string? Sha256, string? Error, string? DownloadUrl,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt);

public sealed record ImportResponse(string Id, string Status, string ArchiveSha256, ImportReport Report, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

public sealed record ImportReport(IReadOnlyDictionary<string, ImportFileReport> Files, IReadOnlyList<string> Notes);

public sealed record ImportFileReport(long Rows, long Created, long Skipped, long Remapped, long Merged, long NotRestored = 0);
