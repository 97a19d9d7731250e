using Parley.Data.Tenancy;
using Parley.Engine.Turns;
using Parley.Engine.Usage;

namespace Parley.Server.Features.Usage;

/// <summary>Stage 2, plan quota: a workspace out of messages or AI tokens for the month gets 429 before the turn does anything.</summary>
public sealed class QuotaStage(QuotaGuard guard, WorkspaceScope workspace) : ITurnStage
{
    private static readonly string[] TurnMetrics = [UsageMetrics.Messages, UsageMetrics.AiTokens];

    public TurnStage Stage => TurnStage.Authenticate;

    public async ValueTask RunAsync(TurnContext turn, CancellationToken cancellationToken) =>
        await guard.EnsureAllowedAsync(workspace.WorkspaceId!, TurnMetrics, cancellationToken);
}
