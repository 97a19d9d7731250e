using System.Text.Json;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Imports;

/// <summary>An import and its report. Imports run to the end within the request, so a returned import has succeeded.</summary>
public sealed record ImportResponse(string Id, string Status, string ArchiveSha256, ImportReport Report, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static ImportResponse From(ImportJob j) => new(
        j.Id, j.Status, j.ArchiveSha256, JsonSerializer.Deserialize<ImportReport>(j.ReportJson, ApiJson.Options)!, j.CreatedAt, j.CompletedAt);
}
