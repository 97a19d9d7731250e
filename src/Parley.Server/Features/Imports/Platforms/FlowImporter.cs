using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Imports;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Flows;
using Parley.Server.Features.Knowledge;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>
/// Writes a flow mapped from another platform into a bot, new or existing, as its draft (and, when asked, its next
/// published version), with the knowledge texts, past conversations and keyless model providers that came with it, and records the import with the file's SHA-256 in
/// the same save: all of it or nothing. The same file imported again into the same target finds that record and
/// changes nothing.
/// </summary>
public sealed class FlowImporter(
    ParleyDbContext db, IdGenerator ids, TimeProvider time, KnowledgeIngestion knowledge, ImportedConversations conversations, ImportedModelProviders models)
{
    public const string NewBot = "new";

    /// <summary>The import of this file into this target made earlier in the workspace, or null.</summary>
    public async Task<PlatformImportResponse?> FindAsync(string source, string sha256, string target, CancellationToken cancellationToken) =>
        (await RecordsAsync(source, sha256, cancellationToken)).FirstOrDefault(e => e.Record.Target == target) is ({ } job, { } record)
            ? PlatformImportResponse.From(job.Id, job.ArchiveSha256, record, job.CreatedAt, repeated: true)
            : null;

    /// <summary>
    /// The workspace's imports from <paramref name="source"/> recorded under <paramref name="sha256"/> (or all of them,
    /// when null), oldest first.
    /// </summary>
    public async Task<List<(ImportJob Job, PlatformImportRecord Record)>> RecordsAsync(string source, string? sha256, CancellationToken cancellationToken)
    {
        var jobs = await db.ImportJobs.AsNoTracking()
            .Where(j => sha256 == null ? j.ReportJson.StartsWith(PlatformImportRecord.Marker + "\"" + source + "\"") : j.ArchiveSha256 == sha256)
            .OrderBy(j => j.Id).ToListAsync(cancellationToken);
        return [.. jobs.Where(j => j.ReportJson.StartsWith(PlatformImportRecord.Marker, StringComparison.Ordinal))
            .Select(j => (j, JsonSerializer.Deserialize<PlatformImportRecord>(j.ReportJson, ApiJson.Options)!))
            .Where(e => e.Item2.Source == source)];
    }

    /// <summary>
    /// Maps nothing itself: <paramref name="map"/> turns the file into a flow (throwing <see cref="ImportFileException"/>
    /// for a file that cannot be imported) only once the file is known to be new. <paramref name="save"/> commits.
    /// </summary>
    public async Task<(PlatformImportResponse Response, bool Created)> ImportAsync(
        string source, ReadOnlyMemory<byte> file, string target, bool publish, string workspaceId, Func<ReadOnlyMemory<byte>, FlowImport> map,
        Func<PlatformImportResponse, Task> save, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Span));
        if (await FindAsync(source, sha256, target, cancellationToken) is { } earlier)
        {
            return (earlier, false);
        }
        FlowImport import;
        try
        {
            import = map(file);
        }
        catch (ImportFileException e)
        {
            throw Unimportable(source, e.Problems);
        }

        var now = time.GetUtcNow();
        var bot = target == NewBot ? AddBot(workspaceId, import.Name) : await TargetAsync(target, cancellationToken);
        bot.FlowDraftJson = import.FlowJson;
        bot.UpdatedAt = now;
        int? version = publish ? FlowEndpoints.PublishVersion(bot, import.FlowJson, now).Number : null;
        var sources = AddKnowledge(source, bot, import.Knowledge, now);
        var added = conversations.Add(source, bot, import.Conversations);
        var providers = await models.AddAsync(PlatformSources.Find(source)?.Title ?? source, bot, target == NewBot, import.Models, cancellationToken);

        var record = new PlatformImportRecord(source, target, bot.Id, import.Name, version, [.. import.Blocks, .. providers.Lines], import.Notes, [.. sources.Select(s => s.Id)])
        {
            Conversations = added.Conversations.Count,
            Messages = added.Messages,
            Contacts = added.Contacts,
            ModelProviderIds = providers.ProviderIds.Count > 0 ? providers.ProviderIds : null,
        };
        var response = AddRecord(workspaceId, sha256, record);
        await save(response);
        if (sources.Count > 0)
        {
            knowledge.Indexed(sources[0]);
        }
        return (response, true);
    }

    /// <summary>A new bot for an import, named after the source's, with the default fallback text (not saved).</summary>
    public Bot AddBot(string workspaceId, string name)
    {
        var now = time.GetUtcNow();
        var bot = new Bot
        {
            Id = ids.New(IdPrefix.Bot),
            WorkspaceId = workspaceId,
            Name = name,
            FallbackText = BotValidation.DefaultFallbackText,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Bots.Add(bot);
        return bot;
    }

    /// <summary>The bot of the workspace an import goes into, or 404.</summary>
    public async Task<Bot> TargetAsync(string botId, CancellationToken cancellationToken) =>
        await db.Bots.FirstOrDefaultAsync(b => b.Id == botId, cancellationToken) ?? throw ApiException.NotFound("bot", botId);

    /// <summary>Records an import (not saved) and returns its answer.</summary>
    public PlatformImportResponse AddRecord(string workspaceId, string sha256, PlatformImportRecord record)
    {
        var now = time.GetUtcNow();
        var job = new ImportJob
        {
            Id = ids.New(IdPrefix.Import),
            WorkspaceId = workspaceId,
            Status = "succeeded",
            ArchiveSha256 = sha256,
            ReportJson = JsonSerializer.Serialize(record, ApiJson.Options),
            CreatedAt = now,
            CompletedAt = now,
        };
        db.ImportJobs.Add(job);
        return PlatformImportResponse.From(job.Id, sha256, record, now, repeated: false);
    }

    /// <summary>The import's knowledge texts as Markdown sources of the bot, indexed into the context (saved with the rest).</summary>
    private List<KnowledgeSource> AddKnowledge(string platform, Bot bot, IReadOnlyList<ImportedKnowledge> texts, DateTimeOffset now)
    {
        var sources = new List<KnowledgeSource>();
        foreach (var text in texts)
        {
            var input = KnowledgeInput.FromMarkdown(text.Title, text.Markdown);
            var source = input.NewSource(ids.New(IdPrefix.KnowledgeSource), bot.WorkspaceId, bot.Id, now);
            try
            {
                knowledge.Index(source, input.Blocks);
            }
            catch (KnowledgeSourceException e)
            {
                throw Unimportable(platform, [$"The knowledge text '{text.Title}' cannot be indexed: {e.Message}"]);
            }
            db.KnowledgeSources.Add(source);
            sources.Add(source);
        }
        return sources;
    }

    /// <summary>422 <c>invalid_import_file</c> with the reasons a file cannot be imported.</summary>
    public static ApiException Unimportable(string platform, IReadOnlyList<string> problems) =>
        new(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidImportFile,
            $"The {platform} file cannot be imported: {string.Join(" ", problems)} Nothing was written.",
            new Dictionary<string, string[]> { ["file"] = [.. problems] });

    /// <summary>A platform import by id, or null (also for the id of an archive import).</summary>
    public async Task<PlatformImportResponse?> GetAsync(string id, CancellationToken cancellationToken)
    {
        var job = await db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, cancellationToken);
        if (job is null || !job.ReportJson.StartsWith(PlatformImportRecord.Marker, StringComparison.Ordinal))
        {
            return null;
        }
        var record = JsonSerializer.Deserialize<PlatformImportRecord>(job.ReportJson, ApiJson.Options)!;
        return PlatformImportResponse.From(job.Id, job.ArchiveSha256, record, job.CreatedAt, repeated: false);
    }
}
