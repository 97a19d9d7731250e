using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Flowise;

/// <summary>
/// Maps a Flowise workspace export (<c>ExportData.json</c>: the lists <c>ChatFlow</c>, <c>AgentFlowV2</c>,
/// <c>ChatMessage</c>, <c>DocumentStore</c>, <c>DocumentStoreFileChunk</c>, …) into one bot: the flow with the most
/// chat messages through the chatflow mapper, its messages as past conversations (one per session), and the chunks of
/// the document stores it uses (or that no flow uses) as knowledge texts, one per document.
/// </summary>
internal static class FlowiseWorkspaceImport
{
    private static readonly string[] FlowLists = ["AgentFlowV2", "AgentFlow", "ChatFlow", "AssistantFlow"];

    public static bool IsWorkspaceExport(JsonObject root) =>
        root["nodes"] is null && FlowLists.Append("ChatMessage").Any(list => root[list] is JsonArray);

    public static FlowImport Map(JsonObject root)
    {
        var flows = FlowLists.SelectMany(list => ImportJson.Array(root, list)).OfType<JsonObject>()
            .Where(f => ImportJson.Text(f, "id") is not null && ImportJson.Text(f, "flowData") is not null).ToList();
        var messages = ImportJson.Array(root, "ChatMessage").OfType<JsonObject>().ToList();
        if (flows.Count == 0)
        {
            throw new ImportFileException("The workspace export holds no chatflow or agentflow to import.");
        }
        var chosen = flows.OrderByDescending(f => messages.Count(m => ImportJson.Text(m, "chatflowid") == ImportJson.Text(f, "id"))).First();
        var flowId = ImportJson.Text(chosen, "id")!;
        var import = FlowiseFlowImport.MapGraph(FlowiseFlowImport.FlowData(ImportJson.Text(chosen, "flowData")!, ImportJson.Text(chosen, "name")));

        var notes = import.Notes.ToList();
        var others = flows.Where(f => f != chosen).Select(f => $"'{ImportJson.Text(f, "name") ?? ImportJson.Text(f, "id")}'").ToList();
        if (others.Count > 0)
        {
            notes.Add($"The export holds {flows.Count} flows; this import took '{ImportJson.Text(chosen, "name")}', which has the most messages. "
                + $"Export {string.Join(", ", others)} on their own (Export in each flow's settings) to import them into other bots; their messages are not imported here.");
        }
        var conversations = Conversations(messages.Where(m => ImportJson.Text(m, "chatflowid") == flowId));
        notes.Add($"{conversations.Count} past conversations ({conversations.Sum(c => c.Messages.Count)} messages) of the flow are imported as closed conversations with their transcripts; "
            + "the sources, tools and feedback shown beside Flowise's answers are not.");
        if (messages.Any(m => ImportJson.Text(m, "leadEmail") is { Length: > 0 }))
        {
            notes.Add("The emails Flowise's lead capture collected are not made into leads.");
        }
        var (knowledge, skipped) = Knowledge(root, flowId);
        if (skipped > 0)
        {
            notes.Add($"{skipped} document stores used only by other flows are not carried over.");
        }
        return import with { Notes = notes, Knowledge = knowledge, Conversations = conversations };
    }

    /// <summary>The messages grouped by session (Flowise's <c>sessionId</c>, else <c>chatId</c>), each session's in time order.</summary>
    private static List<ImportedConversation> Conversations(IEnumerable<JsonObject> messages) =>
        [.. messages
            .Select(m => (Session: ImportJson.Text(m, "sessionId") ?? ImportJson.Text(m, "chatId"), Message: Message(m)))
            .Where(m => m.Session is not null && m.Message is not null)
            .GroupBy(m => m.Session!, StringComparer.Ordinal)
            .Select(g => new ImportedConversation(g.Key, [.. g.Select(m => m.Message!).OrderBy(m => m.At)]))
            .OrderBy(c => c.Messages[0].At)];

    private static ImportedMessage? Message(JsonObject message)
    {
        var role = ImportJson.Text(message, "role") switch
        {
            "userMessage" => "user",
            "apiMessage" => "bot",
            _ => null,
        };
        var text = ImportJson.Text(message, "content")?.Trim();
        var at = DateTimeOffset.TryParse(ImportJson.Text(message, "createdDate"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : DateTimeOffset.UnixEpoch;
        return role is null || string.IsNullOrEmpty(text) ? null : new ImportedMessage(role, ImportJson.Clip(text, MaxMessageLength), at.ToUniversalTime());
    }

    private const int MaxMessageLength = 8000;

    /// <summary>
    /// One knowledge text per document of the stores the flow uses (by <c>whereUsed</c>) or that no flow uses, its
    /// chunks in order; and how many stores were left out as another flow's.
    /// </summary>
    private static (List<ImportedKnowledge> Knowledge, int Skipped) Knowledge(JsonObject root, string flowId)
    {
        var stores = new Dictionary<string, string>(StringComparer.Ordinal);
        var skipped = 0;
        foreach (var store in ImportJson.Array(root, "DocumentStore").OfType<JsonObject>())
        {
            var usedBy = Strings(ImportJson.Text(store, "whereUsed"));
            if (ImportJson.Text(store, "id") is not { } id)
            {
                continue;
            }
            if (usedBy.Count == 0 || usedBy.Contains(flowId))
            {
                stores[id] = ImportJson.Text(store, "name") ?? id;
            }
            else
            {
                skipped++;
            }
        }
        var knowledge = ImportJson.Array(root, "DocumentStoreFileChunk").OfType<JsonObject>()
            .Where(c => ImportJson.Text(c, "storeId") is { } store && stores.ContainsKey(store) && ImportJson.Text(c, "pageContent") is { Length: > 0 })
            .GroupBy(c => (Store: ImportJson.Text(c, "storeId")!, Doc: ImportJson.Text(c, "docId") ?? ""))
            .Select(document =>
            {
                var chunks = document.OrderBy(c => int.TryParse(ImportJson.Text(c, "chunkNo"), CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
                var source = Source(ImportJson.Text(chunks[0], "metadata"));
                var title = ImportJson.Clip(stores[document.Key.Store] + (source is null ? "" : " — " + source), 300);
                return new ImportedKnowledge(title, string.Join("\n\n", chunks.Select(c => ImportJson.Text(c, "pageContent")!.Trim())) + "\n");
            })
            .ToList();
        return (knowledge, skipped);
    }

    /// <summary>The file a chunk came from, from its metadata (JSON text with <c>source</c>), without its folders.</summary>
    private static string? Source(string? metadata)
    {
        try
        {
            return metadata is null ? null
                : ImportJson.Text(JsonNode.Parse(metadata, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }), "source") is { Length: > 0 } source
                    ? source.Replace('\\', '/').Split('/')[^1]
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<string> Strings(string? json)
    {
        try
        {
            return json is null ? [] : [.. (JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonArray ?? []).Select(ImportJson.Text).OfType<string>()];
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
