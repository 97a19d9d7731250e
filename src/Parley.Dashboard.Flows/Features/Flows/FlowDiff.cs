using System.Text.Json.Nodes;

namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>A block whose type or settings differ between two flows, with the names of the settings that differ.</summary>
public sealed record FlowBlockChange(string Id, IReadOnlyList<string> Settings);

/// <summary>A sticky note added, removed or with other text (moving it is no change).</summary>
public sealed record FlowNoteChange(string Id, string Change);

/// <summary>
/// What changed from one flow to another: blocks added, removed and changed (type or settings; moving a block on the
/// canvas is no change), wires added and removed (a wire is its block, port and target), the start block, and the
/// sticky notes.
/// </summary>
public sealed record FlowDiff(
    IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<FlowBlockChange> Changed,
    IReadOnlyList<FlowWire> WiresAdded, IReadOnlyList<FlowWire> WiresRemoved, string? StartBefore, string? StartAfter,
    IReadOnlyList<FlowNoteChange> Notes)
{
    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && WiresAdded.Count == 0 && WiresRemoved.Count == 0
        && StartBefore == StartAfter && Notes.Count == 0;

    public static FlowDiff Between(FlowDocument before, FlowDocument after)
    {
        var added = after.Blocks.Where(b => before.Block(b.Id) is null).Select(b => b.Id).ToList();
        var removed = before.Blocks.Where(b => after.Block(b.Id) is null).Select(b => b.Id).ToList();
        var changed = new List<FlowBlockChange>();
        foreach (var block in after.Blocks)
        {
            if (before.Block(block.Id) is not { } old)
            {
                continue;
            }
            var settings = old.Settings.Select(s => s.Key).Union(block.Settings.Select(s => s.Key))
                .Where(key => !JsonNode.DeepEquals(old.Settings[key], block.Settings[key])).ToList();
            if (old.Type != block.Type)
            {
                settings.Insert(0, "type");
            }
            if (settings.Count > 0)
            {
                changed.Add(new FlowBlockChange(block.Id, settings));
            }
        }
        static (string, string, string) Key(FlowWire w) => (w.From, w.Port, w.To);
        var wiresBefore = before.Wires.Select(Key).ToHashSet();
        var wiresAfter = after.Wires.Select(Key).ToHashSet();
        return new FlowDiff(added, removed, changed,
            [.. after.Wires.Where(w => !wiresBefore.Contains(Key(w)))], [.. before.Wires.Where(w => !wiresAfter.Contains(Key(w)))],
            before.Start, after.Start, NoteChanges(before, after));
    }

    private static List<FlowNoteChange> NoteChanges(FlowDocument before, FlowDocument after)
    {
        var changes = after.Notes.Select(n => before.Note(n.Id) is not { } old ? new FlowNoteChange(n.Id, "added")
                : old.Text != n.Text ? new FlowNoteChange(n.Id, "text changed") : null)
            .OfType<FlowNoteChange>().ToList();
        changes.AddRange(before.Notes.Where(n => after.Note(n.Id) is null).Select(n => new FlowNoteChange(n.Id, "removed")));
        return changes;
    }
}
