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
        services.AddOutboundHttpClient(WebhookSender.HttpClientName); // each attempt has its own timeout
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
