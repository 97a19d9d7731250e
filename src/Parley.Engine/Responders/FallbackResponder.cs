namespace Parley.Engine.Responders;

/// <summary>
/// The responder used until a bot has a knowledge base or a model: it answers every message with the bot's
/// configured fallback text. It never pretends to understand the question.
/// </summary>
public sealed class FallbackResponder : IResponder
{
    public ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ResponderReply(request.Bot.FallbackText, []));
}
