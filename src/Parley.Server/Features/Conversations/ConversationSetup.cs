using Parley.Engine.Guardrails;
using Parley.Engine.Turns;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Conversations.Transcript;
using Parley.Server.Features.Conversations.Turns;
using Parley.Server.Features.Events;
using Parley.Server.Features.Handoff;
using Parley.Server.Features.Usage;

namespace Parley.Server.Features.Conversations;

public static class ConversationSetup
{
    /// <summary>The turn pipeline with its six stages, and what opening a conversation needs.</summary>
    public static IServiceCollection AddConversations(this IServiceCollection services)
    {
        services.AddScoped<EventLog>();
        services.AddSingleton<ConversationLocks>();
        services.AddSingleton<BotTurnSettingsCache>();
        services.AddScoped<ConversationTranscript>();
        services.AddScoped<ConversationStarter>();
        services.AddScoped<TurnOutcome>();
        services.AddScoped<CaptureStage>();
        services.AddScoped<AuthenticateStage>();
        services.AddScoped<QuotaStage>();
        services.AddScoped<ConversationContextStage>();
        services.AddScoped<RouteStage>();
        services.AddScoped<KnowledgeStage>();
        services.AddScoped<GuardInputStage>();
        services.AddScoped<GenerateStage>();
        services.AddScoped<GuardOutputStage>();
        services.AddScoped<HandoffStage>();
        services.AddScoped<HandoffSideEffectsStage>();
        services.AddScoped<SideEffectsStage>();
        services.AddScoped<ReturnStage>();
        // The turn, part by part, in the order the parts run.
        services.AddScoped(sp => new TurnPipeline(
        [
            // 1 capture: the message is valid; the conversation is this turn's (earlier writers have committed)
            sp.GetRequiredService<CaptureStage>(),
            // 2 authenticate: the caller may write here; the plan allows another message
            sp.GetRequiredService<AuthenticateStage>(),
            sp.GetRequiredService<QuotaStage>(),
            // 3 route: history, contact and flow; who answers; the knowledge the answer may use
            sp.GetRequiredService<ConversationContextStage>(),
            sp.GetRequiredService<RouteStage>(),
            sp.GetRequiredService<KnowledgeStage>(),
            // 4 generate & filter: input guardrails, the answer, output guardrails, escalation to a person
            sp.GetRequiredService<GuardInputStage>(),
            sp.GetRequiredService<GenerateStage>(),
            sp.GetRequiredService<GuardOutputStage>(),
            sp.GetRequiredService<HandoffStage>(),
            // 5 side effects: the handoff applied; messages, events and what they cause written in the turn's transaction
            sp.GetRequiredService<HandoffSideEffectsStage>(),
            sp.GetRequiredService<SideEffectsStage>(),
            // 6 return: the response built once, stored with the bot's replies, committed
            sp.GetRequiredService<ReturnStage>(),
        ]));
        return services;
    }
}
