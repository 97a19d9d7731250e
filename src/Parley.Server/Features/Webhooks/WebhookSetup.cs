using Parley.Server.Infrastructure.Background;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Webhooks;

public static class WebhookSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section);
        services.AddHttpClient(WebhookSender.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => OutboundHttp.CreateHandler(sp.GetRequiredService<IOptionsMonitor<NetworkOptions>>()))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan); // each attempt has its own timeout
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSubscriptions>();
        services.AddSingleton<WakeSignal<WebhookDispatcher>>();
        services.AddSingleton<WebhookOutbox>();
        services.AddScoped<WebhookSender>();
        services.AddScoped<WebhookDeliveryRecorder>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
