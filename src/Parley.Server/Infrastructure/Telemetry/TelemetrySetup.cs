using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Parley.Engine.Turns;

namespace Parley.Server.Infrastructure.Telemetry;

public static class TelemetrySetup
{
    /// <summary>
    /// Traces requests and the stages of every turn. Spans are exported over OTLP only when an endpoint is configured
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>); otherwise nothing leaves the process.
    /// </summary>
    public static IServiceCollection AddTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrEmpty(endpoint))
        {
            return services;
        }
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("parley"))
            .WithTracing(tracing => tracing
                .AddSource(TurnPipeline.ActivitySourceName)
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
