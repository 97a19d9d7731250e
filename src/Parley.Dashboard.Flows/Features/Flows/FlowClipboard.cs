using System.Text.Json.Nodes;

namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>
/// Copy and paste of blocks and sticky notes, as a small flow document (<c>nodes</c>, the <c>edges</c> among them and
/// <c>notes</c>) so it can be kept in the browser's storage and pasted into another bot's flow. Pasted blocks and notes
/// get new ids; wires among the blocks and jumps to one another follow the new ids; wires to blocks outside the copy are
/// left behind.
/// </summary>
public static class FlowClipboard
{
    /// <summary>How far pasted blocks sit from the copied ones, so both stay visible.</summary>
    public const double Offset = 40;

    public static JsonObject Copy(FlowDocument document, IReadOnlyCollection<string> ids)
    {
        var copied = document.Blocks.Where(b => ids.Contains(b.Id)).ToList();
        var blockIds = copied.Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
        return new JsonObject
        {
            ["nodes"] = new JsonArray([.. copied.Select(b => (JsonNode)new JsonObject
            {
                ["id"] = b.Id,
                ["type"] = b.Type,
                ["position"] = new JsonObject { ["x"] = b.X, ["y"] = b.Y },
                ["settings"] = b.Settings.DeepClone(),
            })]),
            ["edges"] = new JsonArray([.. document.Wires.Where(w => blockIds.Contains(w.From) && blockIds.Contains(w.To)).Select(w => (JsonNode)new JsonObject
            {
                ["from"] = new JsonObject { ["node"] = w.From, ["port"] = w.Port },
                ["to"] = new JsonObject { ["node"] = w.To },
            })]),
            ["notes"] = new JsonArray([.. document.Notes.Where(n => ids.Contains(n.Id)).Select(n => (JsonNode)new JsonObject
            {
                ["text"] = n.Text,
                ["x"] = n.X,
                ["y"] = n.Y,
            })]),
        };
    }

    /// <summary>Adds the copied blocks and notes to <paramref name="document"/> and answers their new ids.</summary>
    public static IReadOnlyList<string> Paste(FlowDocument document, JsonObject clip)
    {
        var renamed = new Dictionary<string, string>(StringComparer.Ordinal);
        var pasted = new List<FlowBlock>();
        foreach (var node in (clip["nodes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)node["id"] is not { } id || (string?)node["type"] is not { } type || FlowBlockTypes.Find(type) is null || renamed.ContainsKey(id))
            {
                continue;
            }
            var block = new FlowBlock(document.NewBlockId(type), type, Number(node["position"]?["x"]) + Offset, Number(node["position"]?["y"]) + Offset,
                node["settings"] is JsonObject settings ? (JsonObject)settings.DeepClone() : []);
            renamed[id] = block.Id;
            document.Blocks.Add(block);
            pasted.Add(block);
        }
        foreach (var block in pasted.Where(b => b.Type == "jump"))
        {
            if ((string?)block.Settings["target"] is { } target && renamed.TryGetValue(target, out var newTarget))
            {
                block.Settings["target"] = newTarget;
            }
        }
        foreach (var edge in (clip["edges"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)edge["from"]?["node"] is { } from && (string?)edge["from"]?["port"] is { } port && (string?)edge["to"]?["node"] is { } to
                && renamed.TryGetValue(from, out var newFrom) && renamed.TryGetValue(to, out var newTo))
            {
                document.Connect(newFrom, port, newTo);
            }
        }
        document.Start ??= pasted.FirstOrDefault()?.Id;
        var notes = new List<string>();
        foreach (var item in (clip["notes"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (item["text"] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length is > 0 and <= FlowStickyNote.MaxLength)
            {
                var note = new FlowStickyNote(document.NewNoteId(), text, Number(item["x"]) + Offset, Number(item["y"]) + Offset);
                document.Notes.Add(note);
                notes.Add(note.Id);
            }
        }
        return [.. pasted.Select(b => b.Id), .. notes];
    }

    private static double Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<double>(out var number) ? number : 0;
}
