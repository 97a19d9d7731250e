using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Engine.Imports.Botpress;

/// <summary>
/// The parts of a Botpress v12 bot archive an import reads, parsed: <c>bot.config.json</c>, the flows
/// (<c>flows/**/*.flow.json</c>, skills' generated flows among them) with their canvas positions (<c>*.ui.json</c>),
/// the content elements by id (<c>content-elements/*.json</c>) and the Q&amp;A entries (<c>qna/*.json</c>).
/// Every JSON file is read with a nesting limit of 64 levels.
/// </summary>
internal sealed class BotpressArchive
{
    private const int MaxDepth = 64;

    public required JsonObject Config { get; init; }

    /// <summary>Flows by their path under <c>flows/</c> (like <c>main.flow.json</c> or <c>skills/choice-1a2b3c.flow.json</c>).</summary>
    public required IReadOnlyDictionary<string, JsonObject> Flows { get; init; }

    /// <summary>The canvas position of each node by flow path, then node id.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, (double X, double Y)>> Positions { get; init; }

    /// <summary>Content elements by id, each with its type (the name of the file it is in, like <c>builtin_text</c>).</summary>
    public required IReadOnlyDictionary<string, (string Type, JsonObject Element)> ContentElements { get; init; }

    /// <summary>The Q&amp;A entries in the order of their file names.</summary>
    public required IReadOnlyList<(string File, JsonObject Entry)> Qna { get; init; }

    public string Language => ImportJson.Text(Config, "defaultLanguage") is { Length: > 0 } language ? language : "en";

    public static BotpressArchive Read(ReadOnlyMemory<byte> archive)
    {
        var all = BoundedTar.Read(archive, IsRead);
        // An archive packed from the folder above the bot holds everything under one top folder.
        var root = all.ContainsKey("bot.config.json") ? "" : all.Keys.Where(k => k.EndsWith("/bot.config.json", StringComparison.Ordinal) && k.Count(c => c == '/') == 1)
            .Select(k => k[..(k.Length - "bot.config.json".Length)]).SingleOrDefault();
        if (root is null)
        {
            throw new ImportFileException("The archive has no bot.config.json: it is not a Botpress v12 bot export (Export bot in the admin's list of bots downloads one).");
        }
        var files = all.Where(f => f.Key.StartsWith(root, StringComparison.Ordinal)).ToDictionary(f => f.Key[root.Length..], f => f.Value, StringComparer.Ordinal);

        var config = Parse(files, "bot.config.json") as JsonObject ?? throw new ImportFileException("bot.config.json is not a JSON object.");
        var flows = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var positions = new Dictionary<string, IReadOnlyDictionary<string, (double, double)>>(StringComparer.Ordinal);
        foreach (var path in files.Keys.Where(k => k.StartsWith("flows/", StringComparison.Ordinal) && k.EndsWith(".flow.json", StringComparison.Ordinal)))
        {
            var name = path["flows/".Length..];
            flows[name] = Parse(files, path) as JsonObject ?? throw new ImportFileException($"{path} is not a JSON object.");
            var ui = path[..^".flow.json".Length] + ".ui.json";
            positions[name] = files.ContainsKey(ui) ? ReadPositions(Parse(files, ui)) : new Dictionary<string, (double, double)>();
        }
        var elements = new Dictionary<string, (string, JsonObject)>(StringComparer.Ordinal);
        foreach (var path in files.Keys.Where(k => k.StartsWith("content-elements/", StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)))
        {
            foreach (var element in (Parse(files, path) as JsonArray ?? []).OfType<JsonObject>())
            {
                if (ImportJson.Text(element, "id") is { } id)
                {
                    elements[id] = (path["content-elements/".Length..^".json".Length], element);
                }
            }
        }
        var qna = files.Keys.Where(k => k.StartsWith("qna/", StringComparison.Ordinal) && k.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(k => (k, Parse(files, k) as JsonObject ?? throw new ImportFileException($"{k} is not a JSON object.")))
            .ToList();
        return new BotpressArchive { Config = config, Flows = flows, Positions = positions, ContentElements = elements, Qna = qna };
    }

    private static bool IsRead(string path) =>
        path.EndsWith(".json", StringComparison.Ordinal)
        && (path.EndsWith("bot.config.json", StringComparison.Ordinal) || path.Contains("flows/", StringComparison.Ordinal)
            || path.Contains("content-elements/", StringComparison.Ordinal) || path.Contains("qna/", StringComparison.Ordinal));

    private static JsonNode? Parse(Dictionary<string, byte[]> files, string path)
    {
        if (!files.TryGetValue(path, out var bytes))
        {
            throw new ImportFileException($"The archive has no {path}.");
        }
        try
        {
            return JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { MaxDepth = MaxDepth, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ImportFileException(e.Message.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)
                ? $"{path} is nested more than {MaxDepth} levels deep."
                : $"{path} is not valid JSON ({e.Message}).");
        }
    }

    private static Dictionary<string, (double, double)> ReadPositions(JsonNode? ui)
    {
        var positions = new Dictionary<string, (double, double)>(StringComparer.Ordinal);
        foreach (var node in ImportJson.Array(ui, "nodes"))
        {
            if (ImportJson.Text(node, "id") is { } id && ImportJson.Object(node, "position") is { } position)
            {
                positions[id] = (ImportJson.Number(position, "x"), ImportJson.Number(position, "y"));
            }
        }
        return positions;
    }
}
