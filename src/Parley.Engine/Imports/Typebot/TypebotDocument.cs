using System.Globalization;
using System.Text.Json;

namespace Parley.Engine.Imports.Typebot;

/// <summary>A Typebot flow export, read and checked: groups of blocks, the edges between them, variables and the start.</summary>
internal sealed class TypebotDocument
{
    public static readonly IReadOnlyList<string> Versions = ["3", "4", "5", "6", "6.1"];

    /// <summary>Nesting deeper than this is refused before anything is read (Typebot's own exports stay well under it).</summary>
    public const int MaxDepth = 64;

    public required string Version { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required IReadOnlyList<TypebotGroup> Groups { get; init; }
    public required IReadOnlyDictionary<string, TypebotEdge> Edges { get; init; }
    public required IReadOnlyList<TypebotVariable> Variables { get; init; }

    /// <summary>The edge leaving the start (the start event from version 6, the start block before), or null when unwired.</summary>
    public required TypebotEdge? StartEdge { get; init; }

    public bool IsV6 => Version.StartsWith('6');

    public static TypebotDocument Parse(ReadOnlyMemory<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new ImportFileException($"The file is not valid JSON ({e.Message.Split(" Path:")[0]}). Upload the .json file of Typebot's \"Export flow\".");
        }
        using (document)
        {
            return Read(document.RootElement);
        }
    }

    private static TypebotDocument Read(JsonElement root)
    {
        var problems = new List<string>();
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ImportFileException("A Typebot export is a JSON object with \"version\", \"groups\" and \"edges\".");
        }
        var version = root.TryGetProperty("version", out var v)
            ? v.ValueKind switch
            {
                JsonValueKind.String => v.GetString(),
                JsonValueKind.Number => v.GetDouble().ToString(CultureInfo.InvariantCulture),
                _ => null,
            }
            : null;
        if (version is null || !Versions.Contains(version))
        {
            throw new ImportFileException(version is null
                ? "\"version\" is missing: this does not look like a Typebot flow export."
                : $"Typebot schema version '{version}' is not supported; supported: {string.Join(", ", Versions)}. Open and save the bot in Typebot to upgrade it.");
        }
        if (!root.TryGetProperty("groups", out var groupsElement) || groupsElement.ValueKind != JsonValueKind.Array)
        {
            throw new ImportFileException("\"groups\" must be an array of groups.");
        }

        var groups = new List<TypebotGroup>();
        var blockIds = new HashSet<string>(StringComparer.Ordinal);
        var groupIndex = 0;
        foreach (var g in groupsElement.EnumerateArray())
        {
            var where = $"groups[{groupIndex++}]";
            if (g.ValueKind != JsonValueKind.Object || Text(g, "id") is not { Length: > 0 } groupId)
            {
                problems.Add($"{where} must be an object with an \"id\".");
                continue;
            }
            if (!g.TryGetProperty("blocks", out var blocksElement) || blocksElement.ValueKind != JsonValueKind.Array)
            {
                problems.Add($"{where} ('{groupId}') must have a \"blocks\" array.");
                continue;
            }
            var (x, y) = Coordinates(g);
            var group = new TypebotGroup(groupId, Text(g, "title") ?? groupId, x, y, []);
            var blockIndex = 0;
            foreach (var b in blocksElement.EnumerateArray())
            {
                // Counted for every entry, so a problem names the entry it is about (any problem refuses the file, so
                // the blocks kept are numbered as in the file too).
                var index = blockIndex++;
                var blockWhere = $"{where}.blocks[{index}]";
                if (b.ValueKind != JsonValueKind.Object || Text(b, "id") is not { Length: > 0 } blockId || Text(b, "type") is not { Length: > 0 } type)
                {
                    problems.Add($"{blockWhere} must be an object with an \"id\" and a \"type\".");
                    continue;
                }
                if (!blockIds.Add(blockId))
                {
                    problems.Add($"{blockWhere}: the block id '{blockId}' is used more than once.");
                    continue;
                }
                group.Blocks.Add(new TypebotBlock(blockId, type, b.Clone(), group, index));
            }
            groups.Add(group);
        }

        var edges = new Dictionary<string, TypebotEdge>(StringComparer.Ordinal);
        if (!root.TryGetProperty("edges", out var edgesElement) || edgesElement.ValueKind != JsonValueKind.Array)
        {
            problems.Add("\"edges\" must be an array (empty when nothing is wired).");
        }
        else
        {
            var index = 0;
            foreach (var e in edgesElement.EnumerateArray())
            {
                var where = $"edges[{index++}]";
                var from = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("from", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
                var to = e.ValueKind == JsonValueKind.Object && e.TryGetProperty("to", out var t) && t.ValueKind == JsonValueKind.Object ? t : default;
                if (Text(e, "id") is not { Length: > 0 } edgeId || from.ValueKind == JsonValueKind.Undefined || to.ValueKind == JsonValueKind.Undefined
                    || Text(to, "groupId") is not { Length: > 0 } toGroup)
                {
                    problems.Add($"{where} must have an \"id\", a \"from\" and a \"to\" with a \"groupId\".");
                    continue;
                }
                edges.TryAdd(edgeId, new TypebotEdge(edgeId, Text(from, "blockId"), Text(from, "itemId"), Text(from, "eventId"), toGroup, Text(to, "blockId")));
            }
        }

        var variables = new List<TypebotVariable>();
        if (root.TryGetProperty("variables", out var variablesElement) && variablesElement.ValueKind == JsonValueKind.Array)
        {
            foreach (var variable in variablesElement.EnumerateArray())
            {
                if (Text(variable, "id") is { Length: > 0 } id && Text(variable, "name") is { Length: > 0 } name)
                {
                    variables.Add(new TypebotVariable(id, name, Text(variable, "value")));
                }
            }
        }

        TypebotEdge? startEdge = null;
        if (version.StartsWith('6'))
        {
            var start = root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array
                ? events.EnumerateArray().FirstOrDefault(e => Text(e, "type") == "start")
                : default;
            if (start.ValueKind != JsonValueKind.Object)
            {
                problems.Add("A version 6 export needs a start event in \"events\".");
            }
            else
            {
                var startId = Text(start, "id");
                startEdge = Text(start, "outgoingEdgeId") is { } edgeId && edges.TryGetValue(edgeId, out var edge)
                    ? edge
                    : edges.Values.FirstOrDefault(e => e.FromEvent is not null && e.FromEvent == startId);
            }
        }
        else
        {
            var startBlock = groups.SelectMany(g => g.Blocks).FirstOrDefault(b => b.Type == "start");
            if (startBlock is null)
            {
                problems.Add($"A version {version} export needs a group with the start block.");
            }
            else
            {
                startEdge = startBlock.OutgoingEdgeId is { } edgeId && edges.TryGetValue(edgeId, out var edge)
                    ? edge
                    : edges.Values.FirstOrDefault(e => e.FromBlock == startBlock.Id);
            }
        }

        if (problems.Count > 0)
        {
            throw new ImportFileException(problems.Take(20).ToList());
        }
        return new TypebotDocument
        {
            Version = version,
            Id = Text(root, "id") ?? "",
            Name = Text(root, "name") is { Length: > 0 } n ? n : "Imported from Typebot",
            Groups = groups,
            Edges = edges,
            Variables = variables,
            StartEdge = startEdge,
        };
    }

    internal static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static (double X, double Y) Coordinates(JsonElement group)
    {
        if (group.TryGetProperty("graphCoordinates", out var c) && c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("x", out var x) && x.ValueKind == JsonValueKind.Number
            && c.TryGetProperty("y", out var y) && y.ValueKind == JsonValueKind.Number)
        {
            return (x.GetDouble(), y.GetDouble());
        }
        return (0, 0);
    }
}

internal sealed record TypebotGroup(string Id, string Title, double X, double Y, List<TypebotBlock> Blocks);

internal sealed record TypebotBlock(string Id, string Type, JsonElement Json, TypebotGroup Group, int Index)
{
    public string? OutgoingEdgeId => TypebotDocument.Text(Json, "outgoingEdgeId");

    public JsonElement Options => Json.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;

    public string? Option(string name) => TypebotDocument.Text(Options, name);

    public IEnumerable<JsonElement> Items => Json.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
        ? items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object)
        : [];
}

/// <summary>An edge from a block (or one of its items, or the start event) to a group, optionally to a block inside it.</summary>
internal sealed record TypebotEdge(string Id, string? FromBlock, string? FromItem, string? FromEvent, string ToGroup, string? ToBlock);

internal sealed record TypebotVariable(string Id, string Name, string? Value);
