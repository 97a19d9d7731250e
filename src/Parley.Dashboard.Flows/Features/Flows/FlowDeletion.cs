namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>What the builder asks before it deletes blocks and notes: it names them and counts the wires that go too.</summary>
public static class FlowDeletion
{
    public static string Question(FlowDocument document, IReadOnlyCollection<string> ids)
    {
        var blocks = document.Blocks.Where(b => ids.Contains(b.Id)).ToList();
        var notes = document.Notes.Count(n => ids.Contains(n.Id));
        var wires = document.Wires.Count(w => ids.Contains(w.From) || ids.Contains(w.To));
        var what = (blocks.Count, notes) switch
        {
            (1, 0) => $"the block {FlowBlockTypes.LabelOf(blocks[0].Type)}: {blocks[0].Id}",
            (0, 1) => "this sticky note",
            (_, 0) => Count(blocks.Count, "block"),
            (0, _) => Count(notes, "sticky note"),
            _ => $"{Count(blocks.Count, "block")} and {Count(notes, "sticky note")}",
        };
        var withWires = wires == 0 ? "" : $", with the {Count(wires, "wire")} to and from {(blocks.Count == 1 ? "it" : "them")}";
        var start = blocks.Any(b => b.Id == document.Start) && document.Blocks.Count > blocks.Count
            ? " It is the start block: the first block left becomes the start."
            : "";
        return $"Delete {what}{withWires}?{start} Undo brings {(blocks.Count + notes == 1 ? "it" : "them")} back.";
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
