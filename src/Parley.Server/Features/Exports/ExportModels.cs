using Parley.Data.Entities;

namespace Parley.Server.Features.Exports;

/// <summary>
/// Queue a full export. <c>include_pii</c> (needs the <c>export:pii</c> scope) writes the personal data in clear
/// (every field stored encrypted: contact, lead and booking details, message text, event data, page metadata);
/// <c>bot_ids</c> narrows it to those bots; <c>since</c>/<c>until</c> bound creation times.
/// </summary>
public sealed record CreateExportRequest(bool? IncludePii = null, List<string>? BotIds = null, DateTimeOffset? Since = null, DateTimeOffset? Until = null);

/// <summary>An export job. <c>counts</c> holds rows per archive file once it has succeeded.</summary>
public sealed record ExportResponse(
    string Id, string Status, int Progress, bool IncludePii, IReadOnlyList<string> BotIds, DateTimeOffset? Since, DateTimeOffset? Until,
    IReadOnlyDictionary<string, long> Counts, long? SizeBytes, string? Sha256, string? Error, string? DownloadUrl,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? CompletedAt)
{
    public static ExportResponse From(ExportJob j) => new(
        j.Id, j.Status, j.Progress, j.IncludePii, j.BotIds, j.Since, j.Until, j.Counts, j.SizeBytes, j.Sha256, j.Error,
        j.Status == ExportJobStatus.Succeeded ? $"/v1/exports/{j.Id}/download" : null,
        j.CreatedAt, j.StartedAt, j.CompletedAt);
}
