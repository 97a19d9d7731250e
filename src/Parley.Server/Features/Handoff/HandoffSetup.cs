using Microsoft.EntityFrameworkCore.Diagnostics;
using Parley.Server.Features.Handoff.Assignment;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Handoff;

public static class HandoffSetup
{
    /// <summary>Handoff to people: agent presence, the coordinator, the signals that wake conversation streams, and the assignment rules.</summary>
    public static IServiceCollection AddHandoff(this IServiceCollection services)
    {
        services.AddOptions<HandoffOptions>().BindConfiguration(HandoffOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AgentPresence>();
        services.AddSingleton<ConversationSignals>();
        services.AddSingleton<TypingSignals>();
        services.AddSingleton<ConversationStreamWaker>();
        services.AddScoped<HandoffCoordinator>();
        services.AddScoped<HandoffTurn>();
        services.AddScoped<HandoffService>();
        services.AddScoped<HandoffInbox>();
        services.AddScoped<ActingAgent>();
        services.AddScoped<EventLogStream>();
        services.AddScoped<ConversationStream>();
        services.AddScoped<InboxStream>();
        services.AddScoped<AgentCapacity>();
        services.AddSingleton<AssignmentSweep>();
        services.AddSingleton<WakeSignal<AssignmentWorker>>();
        services.AddHostedService<AssignmentWorker>();
        return services;
    }
}
