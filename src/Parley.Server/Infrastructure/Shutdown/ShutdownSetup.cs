using Microsoft.Extensions.Options;

namespace Parley.Server.Infrastructure.Shutdown;

public static class ShutdownSetup
{
    /// <summary>
    /// Drains the node when the host stops, and sets the host's shutdown timeout to the drain delay plus the time
    /// allowed for work under way. Call it after every other service that registers a worker: hosted services stop in
    /// reverse order of registration, and the node must stop waiting for requests before the workers stop.
    /// </summary>
    public static IServiceCollection AddNodeDrain(this IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) =>
            host.ShutdownTimeout = shutdown.Value.DrainDelay + shutdown.Value.Timeout);
        services.AddSingleton<NodeDrain>();
        services.AddHostedService(provider => provider.GetRequiredService<NodeDrain>());
        return services;
    }

    /// <summary>Counts requests under way and refuses new ones once the node is stopping; first in the pipeline.</summary>
    public static IApplicationBuilder UseNodeDrain(this IApplicationBuilder app)
    {
        var drain = app.ApplicationServices.GetRequiredService<NodeDrain>();
        return app.Use((http, next) => drain.HandleAsync(http, next));
    }
}
