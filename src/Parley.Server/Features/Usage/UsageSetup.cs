using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Usage;

public static class UsageSetup
{
    /// <summary>Plans and their limits, the usage meter (joins every database context), the quota checks, and the worker that turns limits reached into events.</summary>
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddOptions<PlanOptions>().BindConfiguration(PlanOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<UsageMeter>();
        services.AddSingleton<WakeSignal<UsageLimitAlertWorker>>();
        services.AddHostedService<UsageLimitAlertWorker>();
        services.AddScoped<QuotaGuard>();
        return services;
    }
}
