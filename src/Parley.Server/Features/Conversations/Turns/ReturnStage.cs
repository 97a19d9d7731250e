using System.Diagnostics;
using Microsoft.Net.Http.Headers;
using Parley.Data.Entities;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations.Transcript;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 6: builds the response once, with the time of every stage (this one up to the moment the response is fixed),
/// stores it for <c>Idempotency-Key</c> replays together with the bot's replies, and commits the turn. What the caller
/// receives, what a replay returns and what the replies store are the same figures.
/// </summary>
public sealed class ReturnStage(ConversationTranscript transcript, TurnOutcome outcome) : ITurnStage
{
    public const string ServerTimingHeader = "Server-Timing";

    public TurnStage Stage => TurnStage.Return;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // Stryker disable once String : a programming error's message, for whoever breaks the order of the stages; no caller reads it.
        var conversation = transcript.Conversation ?? throw new InvalidOperationException("Capture must open the conversation.");
        var timings = turn.Timings.Copy();
        var response = TurnResponses.Build(turn, conversation, timings);
        timings.Record(TurnStage.Return, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        var serverTiming = timings.ToServerTimingHeader();
        await transcript.CommitAsync(StatusCodes.Status200OK, () => response, cancellationToken,
            headers: new Dictionary<string, string> { [ServerTimingHeader] = serverTiming }, replyTimings: timings.ToDictionary());
        outcome.Committed(response, serverTiming);
    }
}

/// <summary>What a committed turn answers: the response body and its <c>Server-Timing</c> header.</summary>
public sealed class TurnOutcome
{
    private TurnResponse? _response;

    // Stryker disable once String : a programming error's message, for whoever breaks the order of the stages; no caller reads it.
    public TurnResponse Response => _response ?? throw new InvalidOperationException("The turn has not committed.");

    // Stryker disable once String : read only after a commit set it; before one, Response throws first.
    public string ServerTiming { get; private set; } = "";

    internal void Committed(TurnResponse response, string serverTiming)
    {
        _response = response;
        ServerTiming = serverTiming;
    }
}

public static class TurnResponses
{
    /// <summary>The response of a turn; its bot messages carry <paramref name="timings"/>.</summary>
    public static TurnResponse Build(TurnContext turn, Conversation conversation, StageTimings timings) => new(
        [.. turn.Replies.Select(r => Message(turn, r, timings))],
        Message(turn, turn.UserMessage!, null),
        ConversationResponse.From(conversation));

    private static MessageResponse Message(TurnContext turn, TurnMessage message, StageTimings? timings) => new(
        message.Id, turn.ConversationId, message.Role, message.Text,
        [.. message.QuickReplies.Select(q => new QuickReplyResponse(q.Label, q.Value))], timings, message.CreatedAt,
        CitationResponse.FromAll(message.Citations), message.Flags is { Count: > 0 } flags ? flags : null,
        Usage: TokenUsageResponse.From(message.Usage));
}
