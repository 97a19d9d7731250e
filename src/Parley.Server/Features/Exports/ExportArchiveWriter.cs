using System.IO.Compression;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Exports;

/// <summary>
/// One file of the archive: its name, the entity it holds and how rows are written. Files added after the first
/// format are not <paramref name="Required"/>: archives written before them import as having none.
/// </summary>
public sealed record ArchiveFile(string Name, ExportEntity Entity, string Format, bool Required = true);

/// <summary>
/// Writes a workspace's data as a zip archive (docs/export-format.md): one file per entity, then the manifest with
/// each file's row count and SHA-256. Reads the database as the workspace the context is scoped to.
/// </summary>
public sealed class ExportArchiveWriter(ParleyDbContext db, TimeProvider time)
{
    public const string WorkspaceFile = "workspace.json";

    private static readonly JsonSerializerOptions IndentedJson = new(ApiJson.Options) { WriteIndented = true };

    /// <summary>The entity files, in the order an import reads them (what is referenced comes first).</summary>
    public static readonly IReadOnlyList<ArchiveFile> Files =
    [
        new("api_keys.json", ExportEntities.ApiKeys, RecordWriter.ArrayFormat),
        new("users.json", ExportEntities.Users, RecordWriter.ArrayFormat, Required: false),
        new("invitations.json", ExportEntities.Invitations, RecordWriter.ArrayFormat, Required: false),
        new("model_providers.json", ExportEntities.ModelProviders, RecordWriter.ArrayFormat, Required: false),
        new("bots.json", ExportEntities.Bots, RecordWriter.ArrayFormat),
        new("webhook_endpoints.json", ExportEntities.WebhookEndpoints, RecordWriter.ArrayFormat),
        new("contacts.ndjson", ExportEntities.Contacts, "ndjson"),
        new("conversations.ndjson", ExportEntities.Conversations, "ndjson"),
        new("messages.ndjson", ExportEntities.Messages, "ndjson"),
        new("events.ndjson", ExportEntities.Events, "ndjson"),
        new("webhook_deliveries.ndjson", ExportEntities.WebhookDeliveries, "ndjson"),
        new("webhook_attempts.ndjson", ExportEntities.WebhookAttempts, "ndjson"),
        new("leads.ndjson", ExportEntities.Leads, "ndjson", Required: false),
        new("bookings.ndjson", ExportEntities.Bookings, "ndjson", Required: false),
        new("knowledge_sources.ndjson", ExportEntities.KnowledgeSources, "ndjson", Required: false),
        new("usage_counters.ndjson", ExportEntities.UsageCounters, "ndjson", Required: false),
        new("conversation_notes.ndjson", ExportEntities.ConversationNotes, "ndjson", Required: false),
        new("canned_responses.json", ExportEntities.CannedResponses, RecordWriter.ArrayFormat, Required: false),
        new("audit_entries.ndjson", ExportEntities.AuditEntries, "ndjson", Required: false),
    ];

    /// <summary>
    /// Spreadsheet copies of what a business owner opens first, written after the entity files. They repeat rows of
    /// <see cref="Files"/> for people, so an import reads the ndjson files and only checks these against the manifest.
    /// </summary>
    public static readonly IReadOnlyList<ArchiveFile> SpreadsheetCopies =
    [
        new("leads.csv", ExportEntities.Leads, "csv", Required: false),
        new("bookings.csv", ExportEntities.Bookings, "csv", Required: false),
        new("analytics_daily.csv", ExportEntities.AnalyticsDaily, "csv", Required: false),
    ];

    /// <summary>What an archive without PII leaves out (the manifest's <c>omitted_fields</c>): every field stored encrypted.</summary>
    public static readonly IReadOnlyList<string> OmittedFields =
        [.. Files.SelectMany(f => ExportEntity.PiiFieldsOf(f.Entity.RecordType).Select(field => f.Entity.Name + "." + field))];

    /// <summary>Writes the archive to <paramref name="output"/>; <paramref name="progress"/> hears the percentage done now and then.</summary>
    public async Task<ExportManifest> WriteAsync(
        Stream output, string workspaceId, ExportFilter filter, Func<int, Task> progress, CancellationToken cancellationToken)
    {
        var total = 0L;
        foreach (var file in Files.Concat(SpreadsheetCopies))
        {
            total += await file.Entity.CountAsync(db, filter, cancellationToken);
        }
        var done = 0L;
        var lastReported = -1;
        var manifestFiles = new List<ExportManifestFile>();
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);

        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == workspaceId, cancellationToken);
        var rules = await db.AssignmentRules.AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId, cancellationToken);
        manifestFiles.Add(await WriteEntryAsync(zip, WorkspaceFile, "workspace", async hashing =>
        {
            await JsonSerializer.SerializeAsync(hashing, WorkspaceRecord.From(workspace, rules), ApiJson.Options, cancellationToken);
            return 1;
        }));

        foreach (var file in Files.Concat(SpreadsheetCopies))
        {
            manifestFiles.Add(await WriteEntryAsync(zip, file.Name, file.Entity.Name, async hashing =>
            {
                var writer = RecordWriter.For(file.Format, hashing, file.Entity, filter.IncludePii);
                writer.Begin();
                long count = 0;
                await foreach (var row in file.Entity.RowsAsync(db, filter, null, null, cancellationToken))
                {
                    writer.Write(row.Record);
                    if (++count % ExportEntity.PageSize == 0)
                    {
                        await writer.FlushAsync(cancellationToken);
                        var percent = (int)((done + count) * 100 / Math.Max(total, 1));
                        if (percent != lastReported)
                        {
                            lastReported = percent;
                            await progress(Math.Min(percent, 99));
                        }
                    }
                }
                writer.End(null);
                await writer.FlushAsync(cancellationToken);
                done += count;
                return count;
            }));
        }

        var manifest = new ExportManifest(
            ExportManifest.CurrentFormatVersion, ExportManifest.CurrentParleyVersion, time.GetUtcNow(), workspaceId,
            filter.IncludePii ? "included" : "omitted",
            filter.IncludePii ? [] : OmittedFields,
            new ExportManifestFilter(filter.Since, filter.Until, filter.BotIds),
            manifestFiles, ExportManifest.NotIncludedNow);
        var entry = zip.CreateEntry(ExportManifest.FileName, CompressionLevel.Fastest);
        await using (var stream = entry.Open())
        {
            await JsonSerializer.SerializeAsync(stream, manifest, IndentedJson, cancellationToken);
        }
        return manifest;
    }

    private static async Task<ExportManifestFile> WriteEntryAsync(ZipArchive zip, string name, string entity, Func<HashingStream, Task<long>> write)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Fastest);
        await using var stream = entry.Open();
        await using var hashing = new HashingStream(stream);
        var count = await write(hashing);
        await hashing.FlushAsync();
        return new ExportManifestFile(name, entity, count, hashing.BytesWritten, hashing.HashHex());
    }
}
