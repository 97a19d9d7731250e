using Parley.Engine.Imports;
using Parley.Engine.Imports.Botpress;
using Parley.Engine.Imports.Dify;
using Parley.Engine.Imports.Flowise;
using Parley.Engine.Imports.Typebot;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>One platform Parley imports from: its name in the route, what its export is called, and the mapping.</summary>
public sealed record PlatformSource(string Name, string Title, string File, string MediaType, Func<ReadOnlyMemory<byte>, FlowImport> Map);

/// <summary>The platforms <c>POST /v1/imports/{source}</c> and <c>import-from</c> take, each mapped by the Engine.</summary>
public static class PlatformSources
{
    public static readonly PlatformSource Typebot = new(
        "typebot", "Typebot", "Typebot's flow export (JSON, schema versions 3 to 6.1), or its results export (CSV, first column 'Submitted at': each row becomes a closed conversation of the bot, and a lead where it collected an email; `publish` does not apply)", "application/json", TypebotFlowImport.Map);

    public static readonly PlatformSource Botpress = new(
        "botpress", "Botpress", "a Botpress v12 bot archive (.tgz, from Export bot; its Q&A becomes knowledge of the bot)", "application/gzip", BotpressBotImport.Map);

    public static readonly PlatformSource Dify = new(
        "dify", "Dify", "a Dify app exported as DSL (YAML, Dify 0.6 to 0.7)", "application/x-yaml", DifyFlowImport.Map);

    public static readonly PlatformSource Flowise = new(
        "flowise", "Flowise", "a Flowise chatflow or AgentFlow v2 export, or its workspace export ExportData.json with chat messages and document stores (JSON)", "application/json", FlowiseFlowImport.Map);

    public static IReadOnlyList<PlatformSource> All { get; } = [Typebot, Botpress, Dify, Flowise];

    public static PlatformSource? Find(string name) => All.FirstOrDefault(s => s.Name == name);
}
