using Parley.Data.Entities;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Conversations.Turns;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>What a turn run for this surface gives back: the answer as the messages endpoint has it, and the stage timings.</summary>
public sealed record OpenAiTurn(TurnResponse Response, StageTimings Timings);

/// <summary>
/// The one place where this surface enters the conversation machinery: it opens conversations as
/// <c>POST /v1/conversations</c> does and runs turns as <c>POST /v1/conversations/{id}/messages</c> does, so a
/// conversation held through the OpenAI protocol is stored, evented, metered and delivered to webhooks exactly like
/// one held through the API.
/// </summary>
public sealed class OpenAiTurnRunner(
    ConversationStarter starter, ConversationTranscript transcript, TurnPipeline pipeline, TurnOutcome outcome)
{
    /// <summary>Opens a conversation with <paramref name="bot"/> for the contact with external id <paramref name="user"/> (or a new one), and commits it.</summary>
    public async Task<string> StartAsync(Bot bot, string? user, string? userAgent, CancellationToken cancellationToken)
    {
        var contact = await starter.FindOrCreateContactAsync(user is null ? null : new ContactInput(ExternalId: user), cancellationToken);
        var started = await starter.StartAsync(bot, contact, ConversationStarter.ApiChannel, metadata: null, userAgent, cancellationToken);
        await transcript.CommitAsync(StatusCodes.Status201Created, () => started, cancellationToken);
        return started.Conversation.Id;
    }

    /// <summary>
    /// Runs the six stages for the visitor's <paramref name="text"/>. With a <paramref name="deltas"/> sink, a model's
    /// reply arrives there piece by piece while it is written, before the turn commits.
    /// </summary>
    public async Task<OpenAiTurn> RunAsync(string conversationId, string text, IReplyDeltaSink? deltas, CancellationToken cancellationToken)
    {
        var turn = new TurnContext(conversationId, new TurnInput(text, Choice: null, Metadata: null)) { DeltaSink = deltas };
        try
        {
            await pipeline.RunAsync(turn, cancellationToken);
        }
        finally
        {
            // A turn that failed lets the conversation's next message in at once, not when the request ends.
            await transcript.DisposeAsync();
        }
        return new OpenAiTurn(outcome.Response, turn.Timings);
    }
}
