using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Server.Features.Usage;

public static class UsageSetup
{
    /// <summary>Plans and their limits, the usage meter (joins every database context) and the quota checks.</summary>
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.AddOptions<PlanOptions>().BindConfiguration(PlanOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<UsageMeter>();
        services.AddScoped<QuotaGuard>();
        return services;
    }
}
