using Parley.Server.Features.Imports;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Exports;

public static class ExportSetup
{
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddOptions<ExportOptions>().BindConfiguration(ExportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ExportStorage>();
        services.AddSingleton<WakeSignal<ExportWorker>>();
        services.AddScoped<ExportArchiveWriter>();
        services.AddScoped<ArchiveImporter>();
        services.AddHostedService<ExportWorker>();
        return services;
    }
}
