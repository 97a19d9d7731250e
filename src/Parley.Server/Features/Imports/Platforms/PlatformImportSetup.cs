namespace Parley.Server.Features.Imports.Platforms;

public static class PlatformImportSetup
{
    /// <summary>Imports from other chatbot platforms (Typebot, Botpress, Dify, Flowise), over HTTP and from the command line.</summary>
    public static IServiceCollection AddPlatformImports(this IServiceCollection services) => services.AddScoped<FlowImporter>().AddScoped<ImportedConversations>();
}
