using Parley.Engine.Turns;
using Parley.Server.Features.Conversations.Turns;
using Parley.Server.Features.Events;

namespace Parley.Server.Features.Conversations;

public static class ConversationSetup
{
    /// <summary>The turn pipeline with its six stages, and what opening a conversation needs.</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        services.AddScoped<EventLog>();
        services.AddScoped<ConversationStarter>();
        services.AddScoped<ITurnStage, CaptureStage>();
        services.AddScoped<ITurnStage, AuthenticateStage>();
        services.AddScoped<ITurnStage, RouteStage>();
        services.AddScoped<ITurnStage, GenerateStage>();
        services.AddScoped<ITurnStage, SideEffectsStage>();
        services.AddScoped<ITurnStage, ReturnStage>();
        services.AddScoped<TurnPipeline>();
        services.AddSingleton<MessageTimingsRecorder>();
        services.AddHostedService<MessageTimingsWriter>();
        return services;
    }
}
