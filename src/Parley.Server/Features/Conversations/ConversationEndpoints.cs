using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Ids;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Conversations.Turns;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Conversations;

public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversations(this IEndpointRouteBuilder api)
    {
        var conversations = api.MapGroup("/conversations").WithTags("Conversations");
        conversations.MapPost("/", StartConversation).RequireScope(Scopes.ConversationsWrite)
            .WithName("StartConversation").WithSummary("Start a conversation")
            .WithDescription("Opens a conversation with a bot for a contact (reused when `contact.external_id` matches) and returns it with the bot's greeting. "
                + "When the workspace's plan allows no more conversations this month, the answer is 429 `quota_exceeded` and nothing is stored.");
        conversations.MapGet("/", ListConversations).RequireScope(Scopes.ConversationsRead)
            .WithName("ListConversations").WithSummary("List conversations")
            .WithDescription("Newest first. Filter by `bot_id`, `contact_id`, `status` (open, handoff, closed), `channel` (api, widget), "
                + "`created_after` and `created_before` (ISO 8601, inclusive and exclusive), `has_lead`, `flagged` (a guardrail hit on any message: topic, blocked term, injection, output or PII), "
                + "`unanswered` (the bot could not answer a question) and `q` (exactly the conversation or contact id, or part of a lead's company or, "
                + "for callers who may read personal data (`agent` or `export:pii` scope), of the contact's `external_id` or of any message's text). Filters combine, and page with `after` like the unfiltered list. "
                + "`GET /v1/export/conversations.{csv,ndjson}` takes the same filters.");
        conversations.MapGet("/{id}", GetConversation).RequireScopeOrWidgetSession(Scopes.ConversationsRead)
            .WithName("GetConversation").WithSummary("Get a conversation");
        conversations.MapPost("/{id}/messages", SendMessage).RequireScopeOrWidgetSession(Scopes.ConversationsWrite)
            .WithName("SendMessage").WithSummary("Send a visitor message and get the bot's reply")
            .WithDescription("Runs the turn pipeline (capture, authenticate, route, generate, side effects, return). The user message, the bot's replies and their events are committed together before the reply is returned. `Server-Timing` gives the milliseconds of each stage. "
                + "With `Accept: text/event-stream` the committed reply is streamed as server-sent events: `message.delta` (`{\"message_id\", \"delta\"}`, pieces of the text), `message.completed` (the stored message) and `done` (the same body as the JSON answer). "
                + "A request repeated with the same `Idempotency-Key` answers with the stored JSON body. "
                + "When the bot's model provider and its fallback fail, the answer is 503 `provider_unavailable` with `Retry-After`, and nothing is stored. "
                + "When the workspace's plan allows no more messages or AI tokens this month, the answer is 429 `quota_exceeded` with `Retry-After` until the month resets, and nothing is stored.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithStreamedResponse();
        conversations.MapGet("/{id}/messages", ListMessages).RequireScopeOrWidgetSession(Scopes.ConversationsRead)
            .WithName("ListMessages").WithSummary("Read the transcript")
            .WithDescription("Messages oldest first; page forward with `after`.");
        return api;
    }

    public static async Task<Created<StartConversationResponse>> StartConversation(
        StartConversationRequest request, ParleyDbContext db, ConversationStarter starter, ConversationTranscript transcript,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(request.BotId))
        {
            throw ApiException.Invalid("bot_id", "bot_id is required: the bot that answers this conversation.");
        }
        var bot = await db.Bots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == request.BotId, cancellationToken)
            ?? throw ApiException.Invalid("bot_id", $"No bot with id '{request.BotId}' exists in this workspace.");
        var contact = await starter.FindOrCreateContactAsync(request.Contact, cancellationToken);
        var response = await starter.StartAsync(bot, contact, ConversationStarter.ApiChannel, request.Metadata, fallbackUserAgent: null, cancellationToken);
        var location = $"/v1/conversations/{response.Conversation.Id}";
        await transcript.CommitAsync(StatusCodes.Status201Created, () => response, cancellationToken, location);
        return TypedResults.Created(location, response);
    }

    public static async Task<CursorPage<ConversationResponse>> ListConversations(
        ParleyDbContext db,
        Caller caller,
        [FromQuery(Name = "bot_id")] string? botId,
        [FromQuery(Name = "contact_id")] string? contactId,
        [FromQuery(Name = "created_after")] DateTimeOffset? createdAfter,
        [FromQuery(Name = "created_before")] DateTimeOffset? createdBefore,
        [AsParameters] ConversationFilter filter,
        int? limit,
        string? after,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        filter.Validate(errors);
        if (createdAfter is not null && createdBefore is not null && createdAfter >= createdBefore)
        {
            errors["created_before"] = ["created_before must be later than created_after."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        var query = db.Conversations.AsNoTracking();
        if (!string.IsNullOrEmpty(botId))
        {
            query = query.Where(c => c.BotId == botId);
        }
        if (!string.IsNullOrEmpty(contactId))
        {
            query = query.Where(c => c.ContactId == contactId);
        }
        // Ids begin with their creation time, so a creation range is an id range on the primary key.
        if (createdAfter is { } since)
        {
            var lowest = IdGenerator.LowestFor(IdPrefix.Conversation, since);
            query = query.Where(c => string.Compare(c.Id, lowest) >= 0);
        }
        if (createdBefore is { } until)
        {
            var lowest = IdGenerator.LowestFor(IdPrefix.Conversation, until);
            query = query.Where(c => string.Compare(c.Id, lowest) < 0);
        }
        // The page needs at most its own length plus one of the message matches after the cursor: any older one cannot be on it.
        var unseen = string.IsNullOrEmpty(after) ? query : query.Where(c => string.Compare(c.Id, after) < 0);
        var inMessages = await filter.MessageMatchesAsync(unseen, db, caller.MayReadPii(), Paging.Limit(limit) + 1, cancellationToken);
        return await Paging.NewestFirstAsync(filter.Apply(query, db, caller.MayReadPii(), inMessages), limit, after, ConversationResponse.From, cancellationToken);
    }

    public static async Task<Ok<ConversationResponse>> GetConversation(string id, ParleyDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
        if (conversation is null || !caller.MaySee(conversation))
        {
            throw ApiException.NotFound("conversation", id);
        }
        return TypedResults.Ok(ConversationResponse.From(conversation));
    }

    public static async Task<Results<ServerSentEventsResult<string>, Ok<TurnResponse>>> SendMessage(
        string id, SendMessageRequest request, [AsParameters] TurnServices turns, HttpContext http, CancellationToken cancellationToken)
    {
        var (pipeline, transcript, outcome) = turns;
        var metadata = request.Metadata is { } m ? new TurnMetadata(m.PageUrl, m.Referrer, m.Utm, m.Locale, m.UserAgent) : null;
        var turn = new TurnContext(id, new TurnInput(request.Text, request.Choice, metadata));
        if (!TurnStreaming.IsRequested(http.Request))
        {
            var response = await RunTurnAsync(turn, pipeline, transcript, outcome, cancellationToken);
            http.Response.Headers[ReturnStage.ServerTimingHeader] = outcome.ServerTiming;
            return TypedResults.Ok(response);
        }
        // A model streams its reply while the turn runs: answer with a stream at its first piece. Until then a failure
        // is still an ordinary problem response, and a reply that comes whole (the built-in answerer) is streamed
        // after commit as before.
        var live = new LiveReplyStream();
        turn.DeltaSink = live;
        var running = RunTurnAsync(turn, pipeline, transcript, outcome, cancellationToken);
        await Task.WhenAny(running, live.Started);
        if (live.Started.IsCompleted)
        {
            // The headers leave with the first piece, before the stages are timed: the timings are in the messages.
            return TurnStreaming.StreamLive(live, running);
        }
        var whole = await running;
        http.Response.Headers[ReturnStage.ServerTimingHeader] = outcome.ServerTiming;
        return TurnStreaming.Stream(whole);
    }

    /// <summary>What running a turn takes: the pipeline, the conversation's transcript, and where the committed answer lands.</summary>
    public sealed record TurnServices(TurnPipeline Pipeline, ConversationTranscript Transcript, TurnOutcome Outcome);

    private static async Task<TurnResponse> RunTurnAsync(
        TurnContext turn, TurnPipeline pipeline, ConversationTranscript transcript, TurnOutcome outcome, CancellationToken cancellationToken)
    {
        try
        {
            await pipeline.RunAsync(turn, cancellationToken);
        }
        finally
        {
            // A turn that failed lets the conversation's next message in at once, not when the request ends.
            await transcript.DisposeAsync();
        }
        return outcome.Response;
    }

    public static async Task<CursorPage<MessageResponse>> ListMessages(
        string id, ParleyDbContext db, Caller caller, int? limit, string? after, CancellationToken cancellationToken)
    {
        var conversation = await db.Conversations.AsNoTracking()
            .Where(c => c.Id == id).Select(c => new { c.ContactId, c.BotId }).FirstOrDefaultAsync(cancellationToken);
        if (conversation is null || !caller.MaySee(conversation.ContactId, conversation.BotId))
        {
            throw ApiException.NotFound("conversation", id);
        }
        return await Paging.OldestFirstAsync(db.Messages.AsNoTracking().Where(m => m.ConversationId == id), limit, after, MessageResponse.From, cancellationToken);
    }
}
