using System.Text.Json;
using Parley.Engine.Flows;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowNotesTests
{
    private static FlowValidation Validate(string notes)
    {
        var json = $$$"""
            {"start": "hi", "nodes": [{"id": "hi", "type": "message", "position": {"x": 0, "y": 0}, "settings": {"text": "Hello"}}],
             "edges": [], "notes": {{{notes}}}}
            """;
        using var document = JsonDocument.Parse(json);
        return FlowValidator.Validate(document.RootElement);
    }

    private static string Note(string id, string text, string x = "120", string y = "40") =>
        JsonSerializer.Serialize(new { id, text }).TrimEnd('}') + $$""", "x": {{x}}, "y": {{y}}}""";

    private static string Notes(int count, Func<int, string>? text = null) =>
        "[" + string.Join(",", Enumerable.Range(1, count).Select(i => Note($"note_{i}", text?.Invoke(i) ?? $"Note {i}"))) + "]";

    [Fact]
    public void Validate_FlowWithoutNotes_HasNoNotes()
    {
        using var document = JsonDocument.Parse("""{"start": "a", "nodes": [{"id": "a", "type": "end", "position": {"x": 0, "y": 0}}], "edges": []}""");

        var result = FlowValidator.Validate(document.RootElement);

        Assert.True(result.IsValid);
        Assert.Empty(result.Graph!.Notes);
    }

    [Fact]
    public void Validate_NoteOf500Characters_KeepsTextAndPosition()
    {
        var text = new string('a', FlowValidator.MaxNoteLength);

        var result = Validate($"[{Note("note_1", text, "-12.5", "40")}]");

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(new FlowNote("note_1", text, -12.5, 40), Assert.Single(result.Graph!.Notes));
    }

    [Fact]
    public void Validate_NoteOf501Characters_ErrorUnderTheNote()
    {
        var result = Validate($"[{Note("note_1", new string('a', FlowValidator.MaxNoteLength + 1))}]");

        Assert.False(result.IsValid);
        Assert.Contains("1 to 500 characters", Assert.Single(result.Errors["note_1"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Validate_BlankNote_ErrorUnderTheNote(string text)
    {
        var result = Validate($"[{Note("note_1", text)}]");

        Assert.Contains("1 to 500 characters", Assert.Single(result.Errors["note_1"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_100Notes_Valid()
    {
        var result = Validate(Notes(FlowValidator.MaxNotes));

        Assert.True(result.IsValid, string.Join("; ", result.Errors.SelectMany(e => e.Value)));
        Assert.Equal(FlowValidator.MaxNotes, result.Graph!.Notes.Count);
    }

    [Fact]
    public void Validate_101Notes_ErrorUnderFlow()
    {
        var result = Validate(Notes(FlowValidator.MaxNotes + 1));

        Assert.False(result.IsValid);
        Assert.Contains("at most 100 notes", Assert.Single(result.Errors[FlowValidator.FlowKey]), StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NoteIdOfABlockOrAnotherNote_ErrorUnderTheId()
    {
        var result = Validate($"[{Note("hi", "clash")}, {Note("n", "one")}, {Note("n", "two")}]");

        Assert.Contains("already a block's id", Assert.Single(result.Errors["hi"]), StringComparison.Ordinal);
        Assert.Contains("more than one note", Assert.Single(result.Errors["n"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"1\"", "0")]
    [InlineData("0", "null")]
    [InlineData("1e400", "0")]
    public void Validate_NoteWithoutFinitePosition_ErrorUnderTheNote(string x, string y)
    {
        var result = Validate($"[{Note("note_1", "text", x, y)}]");

        Assert.Contains("finite numbers", Assert.Single(result.Errors["note_1"]), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "flow")]
    [InlineData("[42]", "notes[0]")]
    [InlineData("[{\"text\": \"no id\", \"x\": 0, \"y\": 0}]", "notes[0]")]
    public void Validate_MalformedNotes_ErrorUnderTheirPlace(string notes, string key)
    {
        var result = Validate(notes);

        Assert.False(result.IsValid);
        Assert.Single(result.Errors[key]);
    }

    [Fact]
    public async Task Start_FlowWithNotes_RunsOnlyTheBlocks()
    {
        var result = Validate($"[{Note("note_1", "ask Sam before changing prices")}]");

        var started = await new FlowRunner(new EchoResponder(), new RecordingFlowHost()).StartAsync(result.Graph!, FlowTestKit.Context(), default);

        Assert.Equal("Hello", Assert.Single(started.Replies).Text);
        Assert.True(started.State.Finished);
    }
}
