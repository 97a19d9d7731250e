using Microsoft.EntityFrameworkCore;
using Parley.Engine.Turns;
using Parley.Engine.Usage;

namespace Parley.Server.Features.Usage;

public static class TurnUsage
{
    /// <summary>
    /// Stages what a turn uses, to commit with it: the visitor's message, each bot reply by who wrote it (a model, or
    /// the built-in answerer when the responder answered without one), and the model's tokens.
    /// </summary>
    public static void CountTurn(this UsageMeter meter, DbContext db, string workspaceId, TurnContext turn)
    {
        meter.Count(db, workspaceId, UsageMetrics.Messages);
        foreach (var reply in turn.Replies.Where(r => r.Role == MessageRole.Bot))
        {
            if (reply.Usage is { } usage)
            {
                meter.Count(db, workspaceId, UsageMetrics.BotRepliesModel);
                meter.Count(db, workspaceId, UsageMetrics.AiTokens, (long)usage.PromptTokens + usage.CompletionTokens);
            }
            else if (turn.Route == TurnRoute.Responder && turn.HandoffReason is null)
            {
                meter.Count(db, workspaceId, UsageMetrics.BotRepliesAnswerer);
            }
        }
    }
}
