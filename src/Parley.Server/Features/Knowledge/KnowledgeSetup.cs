using Microsoft.Extensions.Options;
using Parley.Data.Knowledge;
using Parley.Engine.Knowledge;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Knowledge;

public static class KnowledgeSetup
{
    /// <summary>Knowledge sources, their ingestion and the search the built-in answerer reads from.</summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<KnowledgeOptions>().BindConfiguration(KnowledgeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOutboundHttpClient(KnowledgeFetcher.HttpClientName); // the fetcher has its own timeout
        services.AddSingleton<IndexTermCounts>();
        services.AddSingleton<SentenceEmbedder>();
        services.AddSingleton<ITextEmbedder>(sp => sp.GetRequiredService<SentenceEmbedder>());
        services.AddSingleton(sp => new KnowledgeVectorCache(sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<KnowledgeVectorEvictions>();
        services.AddScoped<IKnowledgeRetriever, KnowledgeIndex>();
        services.AddScoped<KnowledgeFetcher>();
        services.AddScoped<KnowledgeCrawler>();
        services.AddScoped<KnowledgeIngestion>();
        services.AddSingleton<WakeSignal<KnowledgeFetchWorker>>();
        services.AddHostedService<KnowledgeFetchWorker>();
        services.AddSingleton<WakeSignal<KnowledgeEmbeddingWorker>>();
        services.AddSingleton<KnowledgeEmbeddingWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<KnowledgeEmbeddingWorker>());
        return services;
    }
}
