using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Server.Features.Analytics;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Handoff;
using Parley.Server.Features.Notifications;
using Parley.Server.Features.Usage;
using Parley.Server.Features.Webhooks;

namespace Parley.Server.Infrastructure.Background;

public static class OutboxSetup
{
    /// <summary>
    /// What every save causes, in the order it is worked out: the list to read to know what a turn's save (or any
    /// other) sets off. Each feature registers its contributor; this is the only interceptor that runs them.
    /// </summary>
    public static IServiceCollection AddOutbox(this IServiceCollection services)
    {
        services.AddSingleton(sp => new OutboxInterceptor(
        [
            // A delivery row for each webhook endpoint subscribed to an event saved.
            sp.GetRequiredService<WebhookOutbox>(),
            // An email for each event that deserves one, when SMTP is configured.
            sp.GetRequiredService<NotificationOutbox>(),
            // Usage counters (messages, replies, tokens, deliveries, emails), added when the transaction commits.
            sp.GetRequiredService<UsageMeter>(),
            // Past days whose analytics roll-up the save changes, for the roll-up worker.
            sp.GetRequiredService<AnalyticsStaleDayMarker>(),
            // The live streams of conversations with new events, woken after the commit.
            sp.GetRequiredService<ConversationStreamWaker>(),
            // The cached settings of bots whose row or knowledge sources changed, evicted on every node after the commit.
            sp.GetRequiredService<BotTurnSettingsCache>(),
        ]));
        services.AddSingleton<IInterceptor>(sp => sp.GetRequiredService<OutboxInterceptor>());
        return services;
    }
}
