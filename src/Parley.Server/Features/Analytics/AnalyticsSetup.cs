using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Analytics;

public static class AnalyticsSetup
{
    public static IServiceCollection AddAnalytics(this IServiceCollection services)
    {
        services.AddOptions<AnalyticsOptions>().BindConfiguration(AnalyticsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AnalyticsCalculator>();
        services.AddSingleton<AnalyticsReader>();
        services.AddSingleton<KnowledgeGapFinder>();
        services.AddSingleton<WakeSignal<AnalyticsRollupWorker>>();
        services.AddSingleton<AnalyticsStaleDayMarker>();
        services.AddSingleton<AnalyticsRollupWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<AnalyticsRollupWorker>());
        return services;
    }
}
