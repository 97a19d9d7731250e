using System.ComponentModel.DataAnnotations;
using Parley.Engine.Usage;

namespace Parley.Server.Features.Usage;

/// <summary>
/// Plans and their monthly limits (<c>Parley:Plans</c>). Every workspace is on <see cref="DefaultPlan"/> unless
/// <see cref="Workspaces"/> names another for it. The built-in plan <c>unlimited</c> has no limits and is the default:
/// a self-hosted server meters usage but refuses nothing until its operator sets limits.
/// </summary>
public sealed class PlanOptions : IValidatableObject
{
    public const string Section = "Parley:Plans";
    public const string UnlimitedPlan = "unlimited";

    /// <summary>The plan of every workspace not listed in <see cref="Workspaces"/>.</summary>
    [Required]
    public string DefaultPlan { get; set; } = UnlimitedPlan;

    /// <summary>Plans by name, each with its limits per calendar month (UTC).</summary>
    public Dictionary<string, PlanLimitOptions> Definitions { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Workspace id (<c>ws_…</c>) to plan name, for the workspaces that are not on the default plan.</summary>
    public Dictionary<string, string> Workspaces { get; set; } = new(StringComparer.Ordinal);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsDefined(DefaultPlan))
        {
            yield return new ValidationResult($"Parley:Plans:DefaultPlan names the plan '{DefaultPlan}', which is not in Parley:Plans:Definitions.");
        }
        foreach (var (workspace, plan) in Workspaces)
        {
            if (!IsDefined(plan))
            {
                yield return new ValidationResult($"Parley:Plans:Workspaces:{workspace} names the plan '{plan}', which is not in Parley:Plans:Definitions.");
            }
        }
        foreach (var (name, plan) in Definitions)
        {
            if (plan.ToLimits() is var limits && UsageMetrics.All.Any(m => limits.For(m) is < 0))
            {
                yield return new ValidationResult($"Parley:Plans:Definitions:{name}: limits are 0 or more (leave one out for no limit).");
            }
        }
    }

    /// <summary>The name and limits of the plan <paramref name="workspaceId"/> is on.</summary>
    public (string Name, PlanLimits Limits) PlanOf(string workspaceId)
    {
        var name = Workspaces.TryGetValue(workspaceId, out var assigned) ? assigned : DefaultPlan;
        return (name, Definitions.TryGetValue(name, out var plan) ? plan.ToLimits() : PlanLimits.Unlimited);
    }

    private bool IsDefined(string plan) => plan == UnlimitedPlan || Definitions.ContainsKey(plan);
}

/// <summary>A plan's limits per calendar month; leave a limit out for none.</summary>
public sealed class PlanLimitOptions
{
    /// <summary>Conversations opened; at the limit, new conversations are refused (existing ones continue).</summary>
    public long? ConversationsStarted { get; set; }

    /// <summary>Visitor messages; at the limit, turns are refused.</summary>
    public long? Messages { get; set; }

    /// <summary>Model tokens (prompt and completion); at the limit, turns are refused.</summary>
    public long? AiTokens { get; set; }

    /// <summary>Reported against, not enforced.</summary>
    public long? BotRepliesModel { get; set; }

    /// <summary>Reported against, not enforced.</summary>
    public long? BotRepliesAnswerer { get; set; }

    /// <summary>Reported against, not enforced.</summary>
    public long? WebhookDeliveries { get; set; }

    /// <summary>Reported against, not enforced.</summary>
    public long? EmailsSent { get; set; }

    /// <summary>Reported against, not enforced.</summary>
    public long? KnowledgeStorageBytes { get; set; }

    public PlanLimits ToLimits() => new(
        ConversationsStarted, Messages, BotRepliesModel, BotRepliesAnswerer, AiTokens, WebhookDeliveries, EmailsSent, KnowledgeStorageBytes);
}
