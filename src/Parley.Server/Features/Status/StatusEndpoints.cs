using System.Text.Json;
using Microsoft.Net.Http.Headers;
using Parley.Server.Features.Health;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Status;

public static class StatusEndpoints
{
    /// <summary>The status checks (the database check is the readiness one) and the cached report that runs them.</summary>
    public static IServiceCollection AddStatus(this IServiceCollection services)
    {
        services.AddOptions<StatusOptions>().BindConfiguration(StatusOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddHealthChecks()
            .AddCheck<DatabaseReadyCheck>("status_database", tags: [StatusReport.Tag])
            .AddCheck<WebhookDeliveryCheck>("status_webhooks", tags: [StatusReport.Tag])
            .AddCheck<EmailCheck>("status_email", tags: [StatusReport.Tag])
            .AddCheck<ModelProviderCheck>("status_model_providers", tags: [StatusReport.Tag])
            .AddCheck<KnowledgeIngestionCheck>("status_knowledge", tags: [StatusReport.Tag]);
        services.AddSingleton<StatusReport>();
        services.AddSingleton<StatusHistoryReader>();
        services.AddSingleton<StatusHistorySampler>();
        services.AddHostedService(sp => sp.GetRequiredService<StatusHistorySampler>());
        return services;
    }

    /// <summary>
    /// <c>GET /status</c>: public, no key. HTML by default, JSON with <c>Accept: application/json</c>. Outside the /v1
    /// contract, like the health probes.
    /// </summary>
    public static IEndpointRouteBuilder MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status", GetStatusAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static async Task GetStatusAsync(HttpContext http, StatusReport report, StatusHistoryReader history, CancellationToken cancellationToken)
    {
        var current = await report.GetAsync(cancellationToken);
        var status = current with { History = await HistoryOrNullAsync(history, current, cancellationToken) };
        var response = http.Response;
        response.Headers.CacheControl = "no-cache";
        response.Headers.Vary = HeaderNames.Accept;
        // A page that says "down" is still a page: the status code tells monitors which it is.
        response.StatusCode = status.Status == "down" ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        if (WantsJson(http.Request))
        {
            response.ContentType = "application/json; charset=utf-8";
            await JsonSerializer.SerializeAsync(response.Body, status, ApiJson.Options, cancellationToken);
            return;
        }
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        response.Headers.XContentTypeOptions = "nosniff";
        await response.WriteAsync(StatusPage.Render(status), cancellationToken);
    }

    /// <summary>The page matters most when the database is down: then it goes without history rather than failing.</summary>
    private static async Task<StatusHistory?> HistoryOrNullAsync(StatusHistoryReader history, StatusResponse current, CancellationToken cancellationToken)
    {
        try
        {
            return await history.GetAsync([.. current.Components.Select(c => c.Name)], cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static bool WantsJson(HttpRequest request) =>
        request.GetTypedHeaders().Accept is { Count: > 0 } accept
        && accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        && !accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
}
