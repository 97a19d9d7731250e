using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Tenancy;
using Parley.Engine.Usage;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Usage;

public static class UsageEndpoints
{
    public static IEndpointRouteBuilder MapUsage(this IEndpointRouteBuilder api)
    {
        api.MapGet("/usage", GetUsage).RequireScope(Scopes.UsageRead).WithTags("Usage")
            .WithName("GetUsage").WithSummary("Metered usage against the plan")
            .WithDescription("Each metric's value in one calendar month (UTC), `period=YYYY-MM`, the current month when left out, with the plan's limit "
                + "and the percentage used. Counters are counted in the transaction of what they count; `knowledge_storage_bytes` is a gauge, measured now. "
                + "A malformed period, one before 2000-01 or one in the future is 400 `invalid_request`.");
        api.MapGet("/usage/projection", CostProjectionEndpoint.GetProjection).RequireScope(Scopes.UsageRead).WithTags("Usage")
            .WithName("GetCostProjection").WithSummary("The month's cost at 500, 5,000 and 50,000 conversations and at the workspace's trend")
            .WithDescription("Costs under per-message, per-conversation and flat monthly pricing, each with the model provider's token cost, "
                + "for an average conversation taken from the workspace's last 30 days (documented defaults when it has none). "
                + "Rates are query parameters (`per_message`, `per_conversation`, `flat_monthly`, and per million tokens `prompt_token_price`, "
                + "`completion_token_price`); one left out takes its default. A model's own token prices are `price[<model>]=<prompt>,<completion>` "
                + "(per million tokens, the model named as usage names it, up to 50 models); its tokens are billed at them and the others' at the two token prices. "
                + "A rate that is not a number, negative or over 1000000, or a malformed `price[…]`, is 400 `invalid_request` naming the parameter.");
        return api;
    }

    public static async Task<Ok<UsageResponse>> GetUsage(
        string? period, ParleyDbContext db, WorkspaceScope workspace, TimeProvider time, IOptionsMonitor<PlanOptions> plans,
        CancellationToken cancellationToken)
    {
        var current = UsagePeriod.Of(time.GetUtcNow());
        var asked = current;
        if (period is not null)
        {
            if (!UsagePeriod.TryParse(period, out asked))
            {
                throw ApiException.Invalid("period", "period must be a month written YYYY-MM, such as 2026-11.");
            }
            if (asked.CompareTo(UsagePeriod.Earliest) < 0 || asked.CompareTo(current) > 0)
            {
                throw ApiException.Invalid("period", $"period must be between {UsagePeriod.Earliest} and the current month, {current}.");
            }
        }

        var key = asked.ToString();
        var counted = await db.UsageCounters.AsNoTracking().Where(u => u.Period == key)
            .ToDictionaryAsync(u => u.Metric, u => u.Value, StringComparer.Ordinal, cancellationToken);
        var storage = await db.KnowledgeSources.AsNoTracking().SumAsync(s => (long?)s.ContentLength, cancellationToken) ?? 0;
        var (plan, limits) = plans.CurrentValue.PlanOf(workspace.WorkspaceId!);

        var metrics = UsageMetrics.All.Select(metric =>
        {
            var gauge = UsageMetrics.IsGauge(metric);
            var value = gauge ? storage : counted.GetValueOrDefault(metric);
            var limit = limits.For(metric);
            return new UsageMetricResponse(metric, gauge ? "gauge" : "counter", value, limit, PlanLimits.PercentUsed(value, limit), UsageMeter.Refusing.Contains(metric));
        }).ToList();
        return TypedResults.Ok(new UsageResponse(key, asked.Start, asked.End, plan, metrics));
    }
}
