using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Parley.Server.Features.Handoff;

public static class HandoffSetup
{
    /// <summary>Handoff to people: agent presence, the coordinator, and the signals that wake conversation streams.</summary>
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
        return services;
    }
}
