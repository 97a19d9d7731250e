using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>One block as the builder edits it: the API's node with its settings as a mutable JSON object.</summary>
public sealed class FlowBlock(string id, string type, double x, double y, JsonObject settings)
{
    public string Id { get; } = id;
    public string Type { get; } = type;
    public double X { get; set; } = x;
    public double Y { get; set; } = y;
    public JsonObject Settings { get; } = settings;
}

/// <summary>A sticky note on the canvas: text for the people editing the flow, saved with it and never run.</summary>
public sealed class FlowStickyNote(string id, string text, double x, double y)
{
    /// <summary>The most text a note holds (the API's limit).</summary>
    public const int MaxLength = 500;

    public string Id { get; } = id;
    public string Text { get; set; } = text;
    public double X { get; set; } = x;
    public double Y { get; set; } = y;
}

/// <summary>A wire from an output port of one block to another block.</summary>
public sealed record FlowWire(string Id, string From, string Port, string To);

/// <summary>
/// The flow document of the API (docs/flows.md) held by the builder: blocks, wires, the start block, the starting
/// variables and the sticky notes. The API's graph is the source of truth; this reads it and writes it back unchanged apart from the edits.
/// </summary>
public sealed class FlowDocument
{
    public List<FlowBlock> Blocks { get; } = [];
    public List<FlowWire> Wires { get; } = [];
    public List<FlowStickyNote> Notes { get; } = [];
    public string? Start { get; set; }
    public JsonObject Variables { get; private set; } = [];

    public FlowBlock? Block(string id) => Blocks.Find(b => b.Id == id);

    public FlowStickyNote? Note(string id) => Notes.Find(n => n.Id == id);

    public static FlowDocument Parse(JsonElement? json)
    {
        var document = new FlowDocument();
        if (json is not { ValueKind: JsonValueKind.Object } root)
        {
            return document;
        }
        var node = JsonNode.Parse(root.GetRawText())!.AsObject();
        document.Start = (string?)node["start"] is { Length: > 0 } start ? start : null;
        document.Variables = node["variables"] as JsonObject is { } variables ? (JsonObject)variables.DeepClone() : [];
        foreach (var item in node["nodes"]?.AsArray() ?? [])
        {
            if (item is JsonObject block && (string?)block["id"] is { } id)
            {
                document.Blocks.Add(new FlowBlock(id, (string?)block["type"] ?? "", Number(block["position"]?["x"]), Number(block["position"]?["y"]),
                    block["settings"] is JsonObject settings ? (JsonObject)settings.DeepClone() : []));
            }
        }
        foreach (var item in node["edges"]?.AsArray() ?? [])
        {
            if ((string?)item?["id"] is { } id && (string?)item["from"]?["node"] is { } from && (string?)item["from"]?["port"] is { } port
                && (string?)item["to"]?["node"] is { } to)
            {
                document.Wires.Add(new FlowWire(id, from, port, to));
            }
        }
        foreach (var item in node["notes"] as JsonArray ?? [])
        {
            if ((string?)item?["id"] is { } id)
            {
                document.Notes.Add(new FlowStickyNote(id, item["text"] is JsonValue text && text.TryGetValue<string>(out var value) ? value : "",
                    Number(item["x"]), Number(item["y"])));
            }
        }
        return document;
    }

    /// <summary>Reads a document written by <see cref="Snapshot"/> (undo and redo).</summary>
    public static FlowDocument Parse(string json)
    {
        using var parsed = JsonDocument.Parse(json);
        return Parse(parsed.RootElement);
    }

    public string Snapshot() => ToJson().ToJsonString();

    public JsonObject ToJson()
    {
        var json = Graph();
        // A flow without notes is written as before notes existed.
        if (Notes.Count > 0)
        {
            json["notes"] = new JsonArray([.. Notes.Select(n => (JsonNode)new JsonObject
            {
                ["id"] = n.Id,
                ["text"] = n.Text,
                ["x"] = Math.Round(n.X),
                ["y"] = Math.Round(n.Y),
            })]);
        }
        return json;
    }

    private JsonObject Graph() => new()
    {
        ["start"] = Start ?? Blocks.FirstOrDefault()?.Id ?? "",
        ["variables"] = Variables.DeepClone(),
        ["nodes"] = new JsonArray([.. Blocks.Select(b => (JsonNode)new JsonObject
        {
            ["id"] = b.Id,
            ["type"] = b.Type,
            ["position"] = new JsonObject { ["x"] = Math.Round(b.X), ["y"] = Math.Round(b.Y) },
            ["settings"] = b.Settings.DeepClone(),
        })]),
        ["edges"] = new JsonArray([.. Wires.Select(w => (JsonNode)new JsonObject
        {
            ["id"] = w.Id,
            ["from"] = new JsonObject { ["node"] = w.From, ["port"] = w.Port },
            ["to"] = new JsonObject { ["node"] = w.To },
        })]),
    };

    public JsonElement ToElement()
    {
        using var parsed = JsonDocument.Parse(ToJson().ToJsonString());
        return parsed.RootElement.Clone();
    }

    /// <summary>A new block id from its type, unique in this flow (ask_1, ask_2, …).</summary>
    public string NewBlockId(string type)
    {
        for (var n = 1; ; n++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{type}_{n}");
            if (Block(id) is null && Note(id) is null)
            {
                return id;
            }
        }
    }

    /// <summary>A new note id (note_1, note_2, …), used by no block or note of this flow.</summary>
    public string NewNoteId() => NewBlockId("note");

    public string NewWireId()
    {
        for (var n = Wires.Count + 1; ; n++)
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"e{n}");
            if (!Wires.Exists(w => w.Id == id))
            {
                return id;
            }
        }
    }

    public void Connect(string from, string port, string to)
    {
        Wires.RemoveAll(w => w.From == from && w.Port == port);
        Wires.Add(new FlowWire(NewWireId(), from, port, to));
    }

    public void Disconnect(string from, string port) => Wires.RemoveAll(w => w.From == from && w.Port == port);

    /// <summary>Removes a block with its wires, or a note.</summary>
    public void Remove(string blockId)
    {
        Notes.RemoveAll(n => n.Id == blockId);
        Blocks.RemoveAll(b => b.Id == blockId);
        Wires.RemoveAll(w => w.From == blockId || w.To == blockId);
        if (Start == blockId)
        {
            Start = Blocks.FirstOrDefault()?.Id;
        }
    }

    /// <summary>Drops the wires of ports a block no longer has (a choice option removed).</summary>
    public void DropWiresOfMissingPorts(FlowBlock block)
    {
        var ports = FlowBlockTypes.Ports(block);
        Wires.RemoveAll(w => w.From == block.Id && !ports.Contains(w.Port));
    }

    /// <summary>Names the flow's texts can use as {{name}}: variables it starts with or collects, and the built-in ones.</summary>
    public IReadOnlyList<string> VariableNames()
    {
        var names = new List<string>(Variables.Select(v => v.Key));
        foreach (var block in Blocks)
        {
            if ((string?)block.Settings["variable"] is { Length: > 0 } variable)
            {
                names.Add(variable);
            }
            if (block.Settings["response_mapping"] is JsonObject mapping)
            {
                names.AddRange(mapping.Select(m => m.Key));
            }
            names.AddRange(block.Type switch
            {
                "capture_lead" => ["lead_id"],
                "book_appointment" => ["booking_id", "booking_start", "booking_error"],
                "http" => ["http_status"],
                "ask" => ["last_error"],
                "ai_answer" => ["last_message"],
                _ => [],
            });
        }
        names.AddRange(["contact.name", "contact.email", "contact.phone", "page_url", "utm.utm_source"]);
        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    private static double Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;
}
