using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Dashboard.Flows.Features.Flows;
using Parley.Server.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>The builder's copy and paste, and the question it asks before deleting (<c>src/Parley.Dashboard.Flows</c>).</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class FlowClipboardTests
{
    private static FlowDocument Booking() =>
        FlowDocument.Parse(JsonDocument.Parse(FlowTemplates.Load(FlowTemplates.AppointmentBooking)!).RootElement);

    [Fact]
    public void CopyThenPaste_BlocksAndNote_NewIdsWiresAmongThemFollowWiresOutLeftBehind()
    {
        var document = Booking();
        document.Notes.Add(new FlowStickyNote("note_1", "ask Sam before changing prices", 100, 200));
        var wiresBefore = document.Wires.Count;
        var welcome = document.Block("welcome")!;
        var next = document.Wires.First(w => w.From == "welcome").To;

        // Through the browser's storage: the clip is text in between.
        var clip = (JsonObject)JsonNode.Parse(FlowClipboard.Copy(document, ["welcome", next, "note_1"]).ToJsonString())!;
        var pasted = FlowClipboard.Paste(document, clip);

        Assert.Equal(3, pasted.Count);
        Assert.DoesNotContain("welcome", pasted);
        Assert.DoesNotContain("note_1", pasted);
        var copy = document.Block(pasted[0])!;
        Assert.Equal((welcome.Type, welcome.X + FlowClipboard.Offset, welcome.Y + FlowClipboard.Offset), (copy.Type, copy.X, copy.Y));
        Assert.Equal(welcome.Settings.ToJsonString(), copy.Settings.ToJsonString());
        var wire = document.Wires.Single(w => w.From == copy.Id);
        Assert.Equal(pasted[1], wire.To);
        Assert.Equal(wiresBefore + 1, document.Wires.Count);
        Assert.Equal("welcome", document.Start);

        var note = document.Note(pasted[2])!;
        Assert.Equal(("note_2", "ask Sam before changing prices", 140.0, 240.0), (note.Id, note.Text, note.X, note.Y));
        Assert.Equal(2, document.Notes.Count);
    }

    [Fact]
    public void Paste_IntoAnEmptyFlow_FirstBlockStartsIt_BadNotesLeftOut()
    {
        var document = FlowDocument.Parse(JsonDocument.Parse("""{"start":null,"nodes":[],"edges":[]}""").RootElement);
        var clip = (JsonObject)JsonNode.Parse("""
            {"nodes":[{"id":"a","type":"message","position":{"x":0,"y":0},"settings":{"text":"Hi"}},{"id":"b","type":"no_such_type"}],
             "edges":[],
             "notes":[{"text":"kept","x":1,"y":2},{"text":"","x":0,"y":0},{"x":0,"y":0},{"text":"FAR","x":0,"y":0}]}
            """.Replace("FAR", new string('x', FlowStickyNote.MaxLength + 1), StringComparison.Ordinal))!;

        var pasted = FlowClipboard.Paste(document, clip);

        Assert.Equal(["message_1", "note_1"], pasted);
        Assert.Equal("message_1", document.Start);
        Assert.Equal("kept", Assert.Single(document.Notes).Text);
    }

    [Fact]
    public void NoteMaxLength_SameAsTheEngines() =>
        // The dashboard keeps its own copy (it does not load the Engine); a paste or a note the API would refuse must not pass.
        Assert.Equal(Parley.Engine.Flows.FlowValidator.MaxNoteLength, FlowStickyNote.MaxLength);

    [Fact]
    public void Question_NamesWhatGoesAndCountsTheWires()
    {
        var document = Booking();
        document.Notes.Add(new FlowStickyNote("note_1", "remember", 0, 0));
        var welcome = document.Block("welcome")!;
        var wires = document.Wires.Count(w => w.From == "welcome" || w.To == "welcome");
        var label = FlowBlockTypes.LabelOf(welcome.Type);

        Assert.Equal($"Delete the block {label}: welcome, with the {wires} wire{(wires == 1 ? "" : "s")} to and from it? " +
                     "It is the start block: the first block left becomes the start. Undo brings it back.",
            FlowDeletion.Question(document, ["welcome"]));
        Assert.Equal("Delete this sticky note? Undo brings it back.", FlowDeletion.Question(document, ["note_1"]));
        var two = document.Blocks.Where(b => b.Id != document.Start).Take(2).Select(b => b.Id).ToList();
        var twoWires = document.Wires.Count(w => two.Contains(w.From) || two.Contains(w.To));
        Assert.True(twoWires > 0);
        Assert.Equal($"Delete 2 blocks and 1 sticky note, with the {twoWires} wire{(twoWires == 1 ? "" : "s")} to and from them? Undo brings them back.",
            FlowDeletion.Question(document, [.. two, "note_1"]));
    }
}
