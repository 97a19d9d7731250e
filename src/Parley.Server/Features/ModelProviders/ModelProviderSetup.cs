using Parley.Engine.Responders;

namespace Parley.Server.Features.ModelProviders;

public static class ModelProviderSetup
{
    /// <summary>Model provider connections and the responder that routes each bot to the built-in answerer or its model.</summary>
    public static IServiceCollection AddModelProviders(this IServiceCollection services)
    {
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<ModelProviderSecrets>();
        services.AddSingleton<ModelProviderClients>();
        services.AddSingleton<ModelCallTally>();
        services.AddHostedService<ModelCallTallyFlusher>();
        services.AddScoped<KnowledgeAnswerer>();
        services.AddScoped<ModelResponder>();
        services.AddScoped<IResponder, ResponderRouter>();
        return services;
    }
}
