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
/// published version), with the knowledge texts and past conversations that came with it, and records the import with the file's SHA-256 in
/// the same save: all of it or nothing. The same file imported again into the same target finds that record and
/// changes nothing.
/// </summary>
public sealed class FlowImporter(ParleyDbContext db, IdGenerator ids, TimeProvider time, KnowledgeIngestion knowledge, ImportedConversations conversations)
{
    public const string NewBot = "new";

    /// <summary>The import of this file into this target made earlier in the workspace, or null.</summary>
    public async Task<PlatformImportResponse?> FindAsync(string source, string sha256, string target, CancellationToken cancellationToken)
    {
        var earlier = await db.ImportJobs.AsNoTracking().Where(j => j.ArchiveSha256 == sha256).OrderBy(j => j.Id).ToListAsync(cancellationToken);
        foreach (var job in earlier.Where(j => j.ReportJson.StartsWith(PlatformImportRecord.Marker, StringComparison.Ordinal)))
        {
            var record = JsonSerializer.Deserialize<PlatformImportRecord>(job.ReportJson, ApiJson.Options)!;
            if (record.Source == source && record.Target == target)
            {
                return PlatformImportResponse.From(job.Id, job.ArchiveSha256, record, job.CreatedAt, repeated: true);
            }
        }
        return null;
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
        Bot bot;
        if (target == NewBot)
        {
            bot = new Bot
            {
                Id = ids.New(IdPrefix.Bot),
                WorkspaceId = workspaceId,
                Name = import.Name,
                FallbackText = BotValidation.DefaultFallbackText,
                CreatedAt = now,
                UpdatedAt = now,
            };
            db.Bots.Add(bot);
        }
        else
        {
            bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == target, cancellationToken) ?? throw ApiException.NotFound("bot", target);
        }
        bot.FlowDraftJson = import.FlowJson;
        bot.UpdatedAt = now;
        int? version = publish ? FlowEndpoints.PublishVersion(bot, import.FlowJson, now).Number : null;
        var sources = AddKnowledge(source, bot, import.Knowledge, now);
        var (conversationCount, messageCount) = conversations.Add(source, bot, import.Conversations);

        var record = new PlatformImportRecord(source, target, bot.Id, import.Name, version, import.Blocks, import.Notes, [.. sources.Select(s => s.Id)])
        {
            Conversations = conversationCount,
            Messages = messageCount,
        };
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
        var response = PlatformImportResponse.From(job.Id, sha256, record, now, repeated: false);
        await save(response);
        if (sources.Count > 0)
        {
            knowledge.Indexed(sources[0]);
        }
        return (response, true);
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

    private static ApiException Unimportable(string platform, IReadOnlyList<string> problems) =>
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
