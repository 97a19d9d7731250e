using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Notifications;

public static class NotificationSetup
{
    /// <summary>Email notifications: off until <c>Parley:Smtp:Host</c> is set.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<NotificationRecipients>();
        services.AddSingleton<WakeSignal<EmailDispatcher>>();
        services.AddSingleton<NotificationOutbox>();
        services.AddSingleton<EmailSender>();
        services.AddHostedService<EmailDispatcher>();
        return services;
    }
}
