using Parley.Server.Features.Imports.Platforms.Chatwoot;
using Parley.Server.Features.Imports.Platforms.Typebot;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Imports.Platforms;

public static class PlatformImportSetup
{
    /// <summary>Imports from other chatbot platforms (Typebot, Botpress, Dify, Flowise, Chatwoot), over HTTP and from the command line.</summary>
    public static IServiceCollection AddPlatformImports(this IServiceCollection services)
    {
        services.AddOptions<ChatwootImportOptions>().BindConfiguration(ChatwootImportOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOutboundHttpClient(ChatwootApi.HttpClientName); // each request has its own timeout
        return services.AddScoped<FlowImporter>().AddScoped<ImportedConversations>().AddScoped<ImportedModelProviders>().AddScoped<ChatwootApi>().AddScoped<ChatwootImporter>()
            .AddScoped<TypebotResultsImporter>();
    }
}
