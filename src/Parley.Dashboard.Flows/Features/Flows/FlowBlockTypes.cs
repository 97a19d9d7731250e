using System.Text.Json.Nodes;

namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>A block type of the palette: its API name, label, what it does, and the settings a new block starts with.</summary>
public sealed record FlowBlockType(string Type, string Label, string Description, Func<JsonObject> NewSettings);

/// <summary>
/// The twelve block types of the flow API (docs/flows.md, "Blocks") and their output ports, as the server's validator
/// defines them (<c>Parley.Engine/Flows/FlowBlocks.cs</c>); the server checks every save again.
/// </summary>
public static class FlowBlockTypes
{
    public static IReadOnlyList<FlowBlockType> All { get; } =
    [
        new("message", "Message", "Sends a text (Markdown) or an image, then goes on.", () => new() { ["text"] = "Hello!" }),
        new("choice", "Buttons", "Asks a question with quick-reply buttons; each button is a port.",
            () => new() { ["text"] = "What would you like to do?", ["options"] = new JsonArray(new JsonObject { ["id"] = "yes", ["label"] = "Yes" }, new JsonObject { ["id"] = "no", ["label"] = "No" }) }),
        new("ask", "Ask", "Asks a question and checks the answer (text, email, phone, number, date, URL).",
            () => new() { ["text"] = "What is your email address?", ["variable"] = "email", ["input"] = "email" }),
        new("condition", "Condition", "Goes one way or the other by variables, contact, page, UTM or business hours.",
            () => new() { ["match"] = "all", ["rules"] = new JsonArray(new JsonObject { ["source"] = "business_hours", ["operator"] = "open" }) }),
        new("set_variable", "Set variable", "Stores a value (placeholders filled) in a variable.", () => new() { ["variable"] = "segment", ["value"] = "" }),
        new("ai_answer", "AI answer", "Lets the AI answer from the knowledge base until a keyword or a number of turns.",
            () => new() { ["text"] = "What would you like to know?", ["max_turns"] = 3 }),
        new("capture_lead", "Capture lead", "Saves the visitor as a lead (validated, encrypted, scored; fires lead.captured).",
            () => new() { ["fields"] = new JsonObject { ["email"] = "{{email}}" } }),
        new("book_appointment", "Book appointment", "Offers the next free slots of the bot's calendar and books one.",
            () => new() { ["text"] = "Which time suits you?", ["slots"] = 3, ["days_ahead"] = 14 }),
        new("http", "HTTP request", "Calls another system and stores parts of its JSON answer.",
            () => new() { ["method"] = "GET", ["url"] = "https://example.com/api" }),
        new("handoff", "Handoff", "Hands the conversation to a person and ends the flow.", () => new() { ["text"] = "Let me get a person for you.", ["reason"] = "flow" }),
        new("jump", "Jump", "Continues at another block.", () => []),
        new("end", "End", "Ends the flow; the bot's AI answers from then on.", () => new() { ["text"] = "Thank you!" }),
    ];

    public static FlowBlockType? Find(string type) => All.FirstOrDefault(t => t.Type == type);

    public static string LabelOf(string type) => Find(type)?.Label ?? type;

    public static IReadOnlyList<string> Ports(FlowBlock block) => block.Type switch
    {
        "message" or "set_variable" => ["next"],
        "choice" => [.. (block.Settings["options"] as JsonArray ?? []).Select(o => (string?)o?["id"]).OfType<string>()],
        "ask" => ["next", "invalid", "gave_up"],
        "condition" => ["true", "false"],
        "ai_answer" => ["matched", "done"],
        "capture_lead" => ["next", "failed"],
        "book_appointment" => ["booked", "failed"],
        "http" => ["ok", "error"],
        _ => [],
    };

    /// <summary>Blocks that wait for the visitor: a loop must pass through one (the server refuses a loop that does not).</summary>
    public static bool WaitsForInput(string type) => type is "choice" or "ask" or "ai_answer" or "book_appointment";

    /// <summary>One line about a block's settings, shown on the canvas.</summary>
    public static string Summary(FlowBlock block)
    {
        string? Text(string name) => block.Settings[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var summary = block.Type switch
        {
            "ask" => $"{Text("text")} → {{{{{Text("variable")}}}}} ({Text("input") ?? "text"})",
            "condition" => $"{(block.Settings["rules"] as JsonArray)?.Count ?? 0} rule(s), match {Text("match") ?? "all"}",
            "set_variable" => $"{Text("variable")} = {Text("value")}",
            "capture_lead" => string.Join(", ", (block.Settings["fields"] as JsonObject ?? []).Select(f => f.Key)),
            "http" => $"{Text("method") ?? "GET"} {Text("url")}",
            "jump" => $"→ {Text("target")}",
            _ => Text("text") ?? "",
        };
        return summary.Length > 60 ? summary[..57] + "…" : summary;
    }
}
