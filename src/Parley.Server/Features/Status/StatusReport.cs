using System.Text.Json.Serialization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Parley.Server.Features.Status;

/// <summary>The public status: the server as a whole and each part of it.</summary>
/// <param name="Status"><c>operational</c>, <c>degraded</c> or <c>down</c>.</param>
/// <param name="History">Daily uptime and incidents from the minute samples (see <see cref="StatusHistorySampler"/>).</param>
public sealed record StatusResponse(
    string Status, DateTimeOffset CheckedAt, IReadOnlyList<StatusComponent> Components,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusHistory? History = null);

/// <summary>One part of the server: its status, a fixed sentence, and counts (never tenant data).</summary>
public sealed record StatusComponent(
    string Name, string Status, string Description, double? LatencyMs,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object>? Metrics);

/// <summary>
/// Runs the status checks (ASP.NET Core health checks tagged <see cref="Tag"/>) and keeps the result for
/// <see cref="StatusOptions.CacheDuration"/>: however many visitors load the page, the checks run at most once per
/// period per node, by one request while the others wait for it.
/// </summary>
public sealed class StatusReport(HealthCheckService health, TimeProvider time, IOptions<StatusOptions> options) : IDisposable
{
    public const string Tag = "status";

    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["status_database"] = "database",
        ["status_webhooks"] = "webhook_delivery",
        ["status_email"] = "email",
        ["status_model_providers"] = "model_providers",
        ["status_knowledge"] = "knowledge_ingestion",
    };

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (StatusResponse Response, DateTimeOffset Until)? _cached;

    public async Task<StatusResponse> GetAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && fresh.Until > time.GetUtcNow())
        {
            return fresh.Response;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && again.Until > time.GetUtcNow())
            {
                return again.Response;
            }
            var report = await health.CheckHealthAsync(c => c.Tags.Contains(Tag), cancellationToken);
            var now = time.GetUtcNow();
            var components = new List<StatusComponent> { new("api", "operational", "The API is answering.", null, null) };
            components.AddRange(report.Entries.Select(e => new StatusComponent(
                Names.GetValueOrDefault(e.Key, e.Key), Word(e.Value.Status), e.Value.Description ?? "",
                e.Key == "status_database" ? Math.Round(e.Value.Duration.TotalMilliseconds, 1) : null,
                e.Value.Data.Count > 0 ? e.Value.Data : null)));
            var response = new StatusResponse(Word(report.Status), now, components);
            _cached = (response, now + options.Value.CacheDuration);
            return response;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private static string Word(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "operational",
        HealthStatus.Degraded => "degraded",
        _ => "down",
    };

    public void Dispose() => _refresh.Dispose();
}
