using Parley.Engine.Guardrails;
using Parley.Engine.Responders;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Conversations.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Features.Handoff;

namespace Parley.Server.Features.Conversations;

public static class ConversationSetup
{
    /// <summary>The turn pipeline with its six stages, and what opening a conversation needs.</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        services.AddScoped<EventLog>();
        services.AddSingleton<ConversationLocks>();
        services.AddScoped<ConversationTranscript>();
        services.AddScoped<ConversationStarter>();
        services.AddScoped<ITurnStage, CaptureStage>();
        services.AddScoped<ITurnStage, AuthenticateStage>();
        services.AddScoped<ITurnStage, Usage.QuotaStage>();
        services.AddScoped<ITurnStage, RouteStage>();
        // Stage 4 and 5 have parts; parts of one stage run in the order registered here.
        services.AddScoped<ITurnStage, GuardInputStage>();
        services.AddScoped<ITurnStage, GenerateStage>();
        services.AddScoped<ITurnStage, GuardOutputStage>();
        services.AddScoped<ITurnStage, HandoffStage>();
        services.AddScoped<ITurnStage, HandoffSideEffectsStage>();
        services.AddScoped<ITurnStage, SideEffectsStage>();
        services.AddScoped<ITurnStage, ReturnStage>();
        services.AddScoped<TurnPipeline>();
        services.AddSingleton<MessageTimingsRecorder>();
        services.AddHostedService<MessageTimingsWriter>();
        return services;
    }
}
