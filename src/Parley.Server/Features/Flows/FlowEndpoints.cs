using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Flows;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;

namespace Parley.Server.Features.Flows;

public static class FlowEndpoints
{
    /// <summary>The largest flow document accepted, in characters of JSON.</summary>
    public const int MaxFlowLength = 1_000_000;

    public static IEndpointRouteBuilder MapFlows(this IEndpointRouteBuilder api)
    {
        var flows = api.MapGroup("/bots/{id}/flow").WithTags("Flows");
        flows.MapPut("/", SaveDraft).RequireScope(Scopes.BotsWrite)
            .WithName("SaveFlowDraft").WithSummary("Save the draft flow")
            .WithDescription("Replaces the bot's draft flow with the given graph (`nodes`, `edges`, `start`, `variables`, and optional sticky `notes` that never run; see docs/flows.md). "
                + "The graph is validated first: a graph that cannot run answers 422 `invalid_flow` with `errors` grouped by block id (`flow` for the document as a whole) and is not saved. "
                + "Conversations keep running on published versions; the draft goes live only when published. "
                + "The answer's `ETag` names the saved draft; send it back as `If-Match` to save only over that draft: "
                + "when someone else saved meanwhile the answer is 412 `precondition_failed`, naming who saved and when, and nothing is saved. Without `If-Match` the save always applies. "
                + "The answer's `draft_updated_by` and `draft_updated_at` say who saved the draft last (a user's name, or a key's) and when.")
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        flows.MapGet("/", GetDraft).RequireScope(Scopes.BotsRead)
            .WithName("GetFlowDraft").WithSummary("Get the draft flow")
            .WithDescription("The draft (null before one is saved), who saved it last and when (`draft_updated_by`: a user's name or a key's name; null before the first save through this API), "
                + "and the number of the live published version (null before the first publish). "
                + "The `ETag` header names this draft, for `If-Match` on the next save.");
        flows.MapPost("/publish", Publish).RequireScope(Scopes.BotsWrite)
            .WithName("PublishFlow").WithSummary("Publish the draft flow")
            .WithDescription("Validates the draft and stores it as a new immutable version, numbered from 1; new conversations start on it. "
                + "Conversations already running stay on the version they started with. 409 when there is no draft; 422 `invalid_flow` when it does not validate.")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        flows.MapGet("/versions", ListVersions).RequireScope(Scopes.BotsRead)
            .WithName("ListFlowVersions").WithSummary("List published flow versions")
            .WithDescription("Every published version, newest first, without the graphs.");
        flows.MapGet("/versions/{version:int}", GetVersion).RequireScope(Scopes.BotsRead)
            .WithName("GetFlowVersion").WithSummary("Get a published flow version")
            .WithDescription("One published version with its graph, exactly as it was published.");
        flows.MapPost("/test-run", TestRun).RequireScope(Scopes.BotsWrite)
            .WithName("TestRunFlow").WithSummary("Run one step of a test run of the draft flow")
            .WithDescription("Runs the bot's draft (or the graph sent as `flow`) as a visitor would meet it, before it is published: without `state` from the start, "
                + "then with the `state` answered by the previous step and the visitor's `text` (or a quick reply's `choice`). "
                + "Nothing is stored: a test run is no conversation, so it is not in analytics, usage, the event log or webhooks. "
                + "HTTP blocks really send their requests and booking blocks read the real free slots, but no lead and no booking is saved; `notes` say what would have been. "
                + "422 `invalid_flow` when the flow cannot run; 409 without a draft or `flow`.")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        api.MapFlowTemplates();
        return api;
    }

    public static async Task<Ok<FlowTestRunResponse>> TestRun(
        string id, FlowTestRunRequest request, FlowTestRuns runs, CancellationToken cancellationToken) =>
        TypedResults.Ok(await runs.StepAsync(id, request, cancellationToken));

    public static async Task<Ok<FlowDraftResponse>> SaveDraft(
        string id, [FromBody] JsonElement flow, HttpContext http, ParleyDbContext db, Caller caller, TimeProvider time, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        var json = flow.GetRawText();
        if (json.Length > MaxFlowLength)
        {
            throw ApiException.Invalid("flow", $"A flow document may be at most {MaxFlowLength} characters of JSON.");
        }
        var conditional = FlowDraftTag.IsConditional(http.Request.Headers.IfMatch);
        var seen = bot.FlowDraftJson;
        if (conditional && !FlowDraftTag.Matches(http.Request.Headers.IfMatch, seen))
        {
            throw FlowDraftTag.Changed(bot, await FlowDraftAuthor.NameAsync(db, bot.FlowDraftUpdatedBy, cancellationToken));
        }
        Validate(flow);
        var saved = JsonSerializer.Serialize(flow);
        var now = time.GetUtcNow();
        if (conditional)
        {
            // Only over the draft the caller saw: a save that landed between the read above and here updates no row.
            var updated = await db.Bots.Where(b => b.Id == id && b.FlowDraftJson == seen)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.FlowDraftJson, saved).SetProperty(b => b.UpdatedAt, now)
                    .SetProperty(b => b.FlowDraftUpdatedBy, caller.ActorId).SetProperty(b => b.FlowDraftUpdatedAt, now), cancellationToken);
            if (updated == 0)
            {
                await db.Entry(bot).ReloadAsync(cancellationToken);
                throw FlowDraftTag.Changed(bot, await FlowDraftAuthor.NameAsync(db, bot.FlowDraftUpdatedBy, cancellationToken));
            }
            bot.FlowDraftJson = saved;
            bot.UpdatedAt = now;
            bot.FlowDraftUpdatedBy = caller.ActorId;
            bot.FlowDraftUpdatedAt = now;
        }
        else
        {
            bot.FlowDraftJson = saved;
            bot.UpdatedAt = now;
            bot.FlowDraftUpdatedBy = caller.ActorId;
            bot.FlowDraftUpdatedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
        http.Response.Headers.ETag = FlowDraftTag.Of(saved);
        return TypedResults.Ok(await DraftAsync(db, bot, cancellationToken));
    }

    public static async Task<Ok<FlowDraftResponse>> GetDraft(string id, HttpContext http, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        http.Response.Headers.ETag = FlowDraftTag.Of(bot.FlowDraftJson);
        return TypedResults.Ok(await DraftAsync(db, bot, cancellationToken));
    }

    public static async Task<Created<FlowVersionResponse>> Publish(
        string id, ParleyDbContext db, IdempotencyScope idempotency, TimeProvider time, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        if (bot.FlowDraftJson is null)
        {
            throw ApiException.Conflict("This bot has no draft flow to publish; save one with PUT /v1/bots/{id}/flow first.");
        }
        using (var document = JsonDocument.Parse(bot.FlowDraftJson))
        {
            Validate(document.RootElement);
        }
        var version = PublishVersion(bot, bot.FlowDraftJson, time.GetUtcNow());
        var response = FlowVersionResponse.From(bot.Id, version);
        var location = $"/v1/bots/{bot.Id}/flow/versions/{version.Number}";
        await idempotency.SaveChangesAsync(201, () => response, cancellationToken, location);
        return TypedResults.Created(location, response);
    }

    public static async Task<Ok<FlowVersionList>> ListVersions(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        return TypedResults.Ok(new FlowVersionList([.. bot.FlowVersions.OrderByDescending(v => v.Number).Select(v => new FlowVersionSummary(v.Number, v.PublishedAt))]));
    }

    public static async Task<Ok<FlowVersionResponse>> GetVersion(string id, int version, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) ?? throw ApiException.NotFound("bot", id);
        var found = bot.FlowVersions.FirstOrDefault(v => v.Number == version)
            ?? throw new ApiException(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"Bot '{id}' has no flow version {version}.");
        return TypedResults.Ok(FlowVersionResponse.From(bot.Id, found));
    }

    /// <summary>Appends <paramref name="json"/> as the bot's next version (it must have been validated).</summary>
    public static FlowVersion PublishVersion(Bot bot, string json, DateTimeOffset now)
    {
        var version = new FlowVersion { Number = bot.FlowVersions.Count == 0 ? 1 : bot.FlowVersions.Max(v => v.Number) + 1, Graph = json, PublishedAt = now };
        // A new list, so the change tracker sees the JSON column change.
        bot.FlowVersions = [.. bot.FlowVersions, version];
        bot.UpdatedAt = now;
        return version;
    }

    /// <summary>Throws the 422 <c>invalid_flow</c> problem when <paramref name="flow"/> does not validate.</summary>
    public static void Validate(JsonElement flow)
    {
        var result = FlowValidator.Validate(flow);
        if (!result.IsValid)
        {
            throw new ApiException(StatusCodes.Status422UnprocessableEntity, ErrorCodes.InvalidFlow,
                $"The flow is not valid: {result.Errors.Sum(e => e.Value.Length)} problem(s) in {string.Join(", ", result.Errors.Keys)}. Nothing was saved.",
                result.Errors.ToDictionary(e => e.Key, e => e.Value));
        }
    }

    private static async Task<FlowDraftResponse> DraftAsync(ParleyDbContext db, Bot bot, CancellationToken cancellationToken) => new(
        bot.Id, bot.FlowDraftJson is null ? null : FlowJson.Parse(bot.FlowDraftJson),
        bot.FlowVersions.Count == 0 ? null : bot.FlowVersions.Max(v => v.Number), bot.UpdatedAt,
        await FlowDraftAuthor.NameAsync(db, bot.FlowDraftUpdatedBy, cancellationToken), bot.FlowDraftUpdatedAt);
}
