using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Engine.Knowledge;
using Parley.Server.Features.Bots;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Outbound;
using Parley.Server.Infrastructure.Paging;
using static Parley.Server.Features.Knowledge.KnowledgeSourceKinds;

namespace Parley.Server.Features.Knowledge;

public static class KnowledgeEndpoints
{
    /// <summary>The largest upload accepted; <see cref="KnowledgeOptions.MaxDocumentBytes"/> may set a lower limit.</summary>
    public const int MaxUploadBytes = 100 * 1024 * 1024;

    public static IEndpointRouteBuilder MapKnowledge(this IEndpointRouteBuilder api)
    {
        var knowledge = api.MapGroup("/bots/{id}/knowledge").WithTags("Knowledge");
        knowledge.MapPost("/", AddSource).RequireScope(Scopes.BotsWrite).WithBodyLimit(MaxUploadBytes)
            .Accepts<AddKnowledgeSourceRequest>("application/json", "multipart/form-data")
            .WithName("AddKnowledgeSource").WithSummary("Add a knowledge source")
            .WithDescription("JSON for text, Markdown, HTML or a URL; multipart form data with a `file` (PDF, HTML, Markdown or text) "
                + "and an optional `title` for uploads. Text is indexed at once (`ready`); a URL is fetched in the background "
                + "(`processing`, then `ready` or `failed` with a `failure_reason`).");
        knowledge.MapGet("/", ListSources).RequireScope(Scopes.BotsRead)
            .WithName("ListKnowledgeSources").WithSummary("List a bot's knowledge sources");
        knowledge.MapGet("/{sourceId}", GetSource).RequireScope(Scopes.BotsRead)
            .WithName("GetKnowledgeSource").WithSummary("Get a knowledge source");
        knowledge.MapDelete("/{sourceId}", DeleteSource).RequireScope(Scopes.BotsWrite)
            .WithName("DeleteKnowledgeSource").WithSummary("Delete a knowledge source and its passages");
        knowledge.MapPost("/{sourceId}/sync", SyncSource).RequireScope(Scopes.BotsWrite)
            .WithName("SyncKnowledgeSource").WithSummary("Re-read a knowledge source")
            .WithDescription("A URL is fetched again in the background; other sources are re-indexed at once. "
                + "A failed re-sync keeps the passages of the last successful one.");
        knowledge.MapPost("/search", Search).RequireScope(Scopes.BotsRead)
            .WithName("SearchKnowledge").WithSummary("Search a bot's knowledge")
            .WithDescription("The passages that best match `query`, best first, as the built-in answerer sees them.");
        return api;
    }

    public static async Task<Created<KnowledgeSourceResponse>> AddSource(
        string id, HttpRequest request, ParleyDbContext db, WorkspaceScope workspace, KnowledgeIngestion ingestion,
        IdempotencyScope idempotency, IdGenerator ids, TimeProvider time, IOptions<KnowledgeOptions> options,
        IOptionsMonitor<NetworkOptions> network, WakeSignal<KnowledgeFetchWorker> fetchSignal, CancellationToken cancellationToken)
    {
        await RequireBotAsync(db, id, cancellationToken);
        var input = request.HasFormContentType
            ? await KnowledgeUpload.ReadAsync(request, options.Value.MaxDocumentBytes, cancellationToken)
            : await ReadJsonAsync(request, options.Value, network.CurrentValue.AllowPrivateTargets, cancellationToken);

        var now = time.GetUtcNow();
        var source = input.NewSource(ids.New(IdPrefix.KnowledgeSource), workspace.WorkspaceId!, id, now);
        if (input.Type != Url)
        {
            try
            {
                ingestion.Index(source, input.Blocks);
            }
            catch (KnowledgeSourceException ex)
            {
                throw ApiException.Invalid(input.Type == Pdf ? "file" : "content", ex.Message);
            }
        }
        db.KnowledgeSources.Add(source);
        var response = KnowledgeSourceResponse.From(source);
        var location = $"/v1/bots/{id}/knowledge/{source.Id}";
        await idempotency.SaveChangesAsync(StatusCodes.Status201Created, () => response, cancellationToken, location);
        if (source.Status == Processing)
        {
            fetchSignal.Notify();
        }
        else
        {
            ingestion.Indexed(source);
        }
        return TypedResults.Created(location, response);
    }

    public static async Task<CursorPage<KnowledgeSourceResponse>> ListSources(
        string id, ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken)
    {
        await RequireBotAsync(db, id, cancellationToken);
        return await Paging.NewestFirstAsync(
            db.KnowledgeSources.AsNoTracking().Where(s => s.BotId == id), limit, after, KnowledgeSourceResponse.From, cancellationToken);
    }

    public static async Task<Ok<KnowledgeSourceResponse>> GetSource(string id, string sourceId, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var source = await FindSourceAsync(db, id, sourceId, cancellationToken);
        return TypedResults.Ok(KnowledgeSourceResponse.From(source));
    }

    public static async Task<Ok<DeletedResponse>> DeleteSource(string id, string sourceId, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var source = await FindSourceAsync(db, id, sourceId, cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.KnowledgeChunks.Where(c => c.SourceId == source.Id).ExecuteDeleteAsync(cancellationToken);
        db.KnowledgeSources.Remove(source);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Ok(new DeletedResponse(source.Id, true));
    }

    public static async Task<Ok<KnowledgeSourceResponse>> SyncSource(
        string id, string sourceId, ParleyDbContext db, KnowledgeIngestion ingestion, TimeProvider time,
        WakeSignal<KnowledgeFetchWorker> fetchSignal, CancellationToken cancellationToken)
    {
        var source = await FindSourceAsync(db, id, sourceId, cancellationToken);
        if (source.Type == Url)
        {
            source.Status = Processing;
            source.FailureReason = null;
            source.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
            fetchSignal.Notify();
        }
        else
        {
            await ingestion.SyncAsync(source, cancellationToken);
        }
        return TypedResults.Ok(KnowledgeSourceResponse.From(source));
    }

    public static async Task<Ok<SearchKnowledgeResponse>> Search(
        string id, SearchKnowledgeRequest request, ParleyDbContext db, IKnowledgeRetriever retriever, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Query) || request.Query.Length > 1000)
        {
            errors["query"] = ["query is required and may be at most 1000 characters long."];
        }
        if (request.Limit is < 1 or > 20)
        {
            errors["limit"] = ["limit must be between 1 and 20."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await RequireBotAsync(db, id, cancellationToken);
        var found = await retriever.SearchAsync(id, request.Query!, request.Limit ?? 5, cancellationToken);
        return TypedResults.Ok(new SearchKnowledgeResponse([.. found.Passages.Select(KnowledgePassageResponse.From)]));
    }

    private static async Task<KnowledgeInput> ReadJsonAsync(HttpRequest request, KnowledgeOptions limits, bool allowPrivate, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            throw new ApiException(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
                "Send a knowledge source as application/json, or upload a file as multipart/form-data.");
        }
        AddKnowledgeSourceRequest? body;
        try
        {
            body = await request.ReadFromJsonAsync<AddKnowledgeSourceRequest>(ApiJson.Options, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw ApiException.Invalid("body", $"The body is not valid JSON: {ex.Message}");
        }
        return KnowledgeInput.FromJson(body ?? new AddKnowledgeSourceRequest(), limits.MaxDocumentBytes, allowPrivate, limits.MaxCrawlPages);
    }

    private static async Task RequireBotAsync(ParleyDbContext db, string id, CancellationToken cancellationToken)
    {
        if (!await db.Bots.AnyAsync(b => b.Id == id, cancellationToken))
        {
            throw ApiException.NotFound("bot", id);
        }
    }

    private static async Task<KnowledgeSource> FindSourceAsync(ParleyDbContext db, string botId, string sourceId, CancellationToken cancellationToken)
    {
        await RequireBotAsync(db, botId, cancellationToken);
        return await db.KnowledgeSources.FirstOrDefaultAsync(s => s.Id == sourceId && s.BotId == botId, cancellationToken)
            ?? throw ApiException.NotFound("knowledge source", sourceId);
    }
}
