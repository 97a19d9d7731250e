using Microsoft.Extensions.Options;
using Parley.Engine.Knowledge;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Server.Features.ModelProviders;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// Stage 3, last part: when the bot's responder answers, searches its knowledge base for the message, so that the
/// search counts as routing and <c>generate</c> times the answer alone. (A follow-up question the answerer combines
/// with the one before it, and a flow's AI block limited to some sources, still search while generating.)
/// </summary>
public sealed class KnowledgeStage(IKnowledgeRetriever retriever, IOptions<ModelOptions> models) : ITurnStage
{
    public TurnStage Stage => TurnStage.Route;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken)
    {
        // Stryker disable once Equality : the answerer and the model search for themselves when this stage did not, so skipping
        // the search here (or searching for a flow, which ignores it) changes only which stage its time counts in.
        if (turn.Route != TurnRoute.Responder || turn.Bot is not { HasKnowledge: true } bot || turn.UserText is not { } text)
        {
            return;
        }
        var limit = bot.Model is { UsesModelProvider: true } ? models.Value.Passages : KnowledgeAnswerer.Candidates;
        // Stryker disable once Equality,Boolean : no passages (Passages = 0) gives the model none either way, and a responder
        // not given a search makes its own; only where the time counts changes.
        if (limit <= 0)
        {
            return;
        }
        turn.Knowledge = new TurnKnowledge(text, await retriever.SearchAsync(bot.Id, text, limit, cancellationToken));
    }
}
