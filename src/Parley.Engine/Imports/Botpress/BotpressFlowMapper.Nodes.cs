using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Botpress;

internal sealed partial class BotpressFlowMapper
{
    /// <summary>A Parley block still to be added for a node: its type and settings.</summary>
    private sealed record Step(string Type, JsonObject Settings);

    /// <summary>What a node's parts came to: the worst outcome met and the notes that say why.</summary>
    private sealed class Outcome
    {
        public string Value { get; private set; } = ImportOutcome.Created;

        public List<string> Notes { get; } = [];

        public void Add(string outcome, string note)
        {
            Notes.Add(note);
            if (outcome == ImportOutcome.NotCarried || (outcome == ImportOutcome.Approximate && Value == ImportOutcome.Created))
            {
                Value = outcome;
            }
        }

        public string? Note => Notes.Count == 0 ? null : string.Join(" ", Notes.Distinct(StringComparer.Ordinal));
    }

    private void MapStandard(Place place, JsonObject node)
    {
        var outcome = new Outcome();
        var steps = new List<Step>();
        foreach (var action in ImportJson.Array(node, "onEnter").Select(ImportJson.Text).OfType<string>())
        {
            if (Action(action, outcome) is { } step)
            {
                steps.Add(step);
            }
        }
        if (node["onReceive"] is JsonArray onReceive)
        {
            foreach (var action in onReceive.Select(ImportJson.Text).OfType<string>())
            {
                outcome.Add(ImportOutcome.Approximate, $"The action '{ActionName(action)}' run on the visitor's message is Botpress code and is not carried over.");
            }
            steps.Add(Wait(steps, outcome));
        }

        var blocks = new List<string>();
        foreach (var step in steps)
        {
            var block = _flow.Add(place.BlockId, step.Type, place.X, place.Y + (blocks.Count * Row), step.Settings);
            if (blocks.Count > 0)
            {
                _flow.Wire(blocks[^1], "next", block);
            }
            blocks.Add(block);
        }
        var exit = blocks.Count > 0 ? (blocks[^1], "next") : ((string, string)?)null;
        var conditions = Transitions(place, ImportJson.Array(node, "next").ToList(), exit, place.Y + (blocks.Count * Row), outcome);
        blocks.AddRange(conditions);
        _flow.Entry(place.Key, blocks.Count > 0 ? blocks[0] : null);
        if (steps.Count == 0 && conditions.Count == 0 && outcome.Notes.Count == 0)
        {
            outcome.Add(ImportOutcome.Created, "The node does nothing but pass the flow on, so it needs no block.");
        }
        _flow.Report(place.Group, place.Id, ImportJson.Text(node, "type") ?? "standard", outcome.Value, outcome.Note, [.. blocks]);
    }

    /// <summary>
    /// A node with <c>onReceive</c> waits for the visitor: an ask, whose question is the text said just before it (which
    /// it replaces) and whose answer is kept in <see cref="MessageVariable"/>, as transitions read it.
    /// </summary>
    private static Step Wait(List<Step> steps, Outcome outcome)
    {
        string question;
        if (steps.Count > 0 && steps[^1] is { Type: FlowBlocks.Message } said && ImportJson.Text(said.Settings, "text") is { Length: > 0 } text && said.Settings["image"] is null)
        {
            steps.RemoveAt(steps.Count - 1);
            question = text;
        }
        else
        {
            question = "Go on, I'm listening.";
            outcome.Add(ImportOutcome.Approximate, $"Botpress waited here without a word; a Parley question needs one, so it says \"{question}\".");
        }
        return new Step(FlowBlocks.Ask, new JsonObject { ["text"] = question, ["variable"] = MessageVariable, ["input"] = "text", ["max_attempts"] = 3 });
    }

    private static string ActionName(string action) => action.Split(' ', 2)[0];

    /// <summary>The block an <c>onEnter</c> action becomes, or null (with the reason in <paramref name="outcome"/>).</summary>
    private Step? Action(string action, Outcome outcome)
    {
        var (name, args) = (ActionName(action), action.Contains(' ', StringComparison.Ordinal) ? action[(action.IndexOf(' ', StringComparison.Ordinal) + 1)..].Trim() : "");
        if (name == "say")
        {
            return Say(args, outcome);
        }
        if (name == "builtin/setVariable" && Arguments(args) is { } set && ImportJson.Text(set, "name") is { Length: > 0 } variable)
        {
            return new Step(FlowBlocks.SetVariable, new JsonObject
            {
                ["variable"] = ImportJson.VariableName(variable),
                ["value"] = ImportJson.Clip(Rewrite(ImportJson.Text(set, "value"))),
            });
        }
        outcome.Add(ImportOutcome.NotCarried, name.StartsWith("builtin/", StringComparison.Ordinal)
            ? $"Botpress's action '{name}' has no Parley block and is left out."
            : $"The action '{name}' is code of the bot's own (or a module's) and does not run in Parley.");
        return null;
    }

    private static JsonObject? Arguments(string args)
    {
        try
        {
            return args.Length == 0 ? null : JsonNode.Parse(args, documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>say #!element-id</c> (a content element) or <c>say #builtin_text {"text": …}</c> (inline).</summary>
    private Step? Say(string args, Outcome outcome)
    {
        var target = args.Split(' ', 2)[0];
        JsonObject? formData;
        string type;
        if (target.StartsWith("#!", StringComparison.Ordinal))
        {
            if (!archive.ContentElements.TryGetValue(target[2..], out var element))
            {
                outcome.Add(ImportOutcome.NotCarried, $"The content element {target[2..]} is not in the archive's content-elements, so there is nothing to say.");
                return null;
            }
            (type, formData) = (element.Type, ImportJson.Object(element.Element, "formData"));
        }
        else
        {
            (type, formData) = (target.TrimStart('#'), Arguments(args[target.Length..].Trim()));
        }
        return Content(type, formData ?? [], outcome);
    }

    /// <summary>A value of a content element in the bot's language (<c>text$en</c>), or without a language.</summary>
    private JsonNode? Localised(JsonObject formData, string field) =>
        formData[$"{field}${archive.Language}"] ?? formData[field] ?? formData.FirstOrDefault(p => p.Key.StartsWith(field + "$", StringComparison.Ordinal)).Value;

    private Step? Content(string type, JsonObject formData, Outcome outcome)
    {
        var text = Rewrite(ImportJson.Text(Localised(formData, "text")) ?? "").Trim();
        if (Localised(formData, "variations") is JsonArray { Count: > 0 } variations && variations.Any(v => ImportJson.Text(v) is { Length: > 0 }))
        {
            outcome.Add(ImportOutcome.Approximate, $"Botpress said one of {variations.Count + 1} variations at random; Parley always says the first.");
        }
        switch (type)
        {
            case "builtin_text" when text.Length > 0:
                return Message(text, outcome);
            case "builtin_single-choice" when text.Length > 0:
                var choices = (Localised(formData, "choices") as JsonArray ?? []).Select(c => ImportJson.Text(c, "title")).OfType<string>().ToList();
                outcome.Add(ImportOutcome.Approximate, "Buttons shown outside the choice skill become a list in the message; the choice skill gives a Parley choice block.");
                return Message(text + string.Concat(choices.Select(c => "\n- " + c)), outcome);
            case "builtin_image":
                var image = ImportJson.Text(Localised(formData, "image"));
                var title = ImportJson.Text(Localised(formData, "title")) ?? "";
                if (image is not null && Uri.TryCreate(image, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
                {
                    return new Step(FlowBlocks.Message, new JsonObject { ["image"] = new JsonObject { ["url"] = image, ["alt"] = ImportJson.Clip(title, 200) } });
                }
                outcome.Add(title.Length > 0 ? ImportOutcome.Approximate : ImportOutcome.NotCarried,
                    "The image is kept in Botpress's own media store, which the archive does not hold; put it at a public address and add it to the message.");
                return title.Length > 0 ? new Step(FlowBlocks.Message, new JsonObject { ["text"] = ImportJson.Clip(title) }) : null;
            case "builtin_card" or "builtin_carousel":
                var card = type == "builtin_carousel" ? (Localised(formData, "items") as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault() ?? [] : formData;
                var cardText = string.Join("\n", new[] { ImportJson.Text(Localised(card, "title")), ImportJson.Text(Localised(card, "subtitle")) }.Where(t => t is { Length: > 0 }));
                outcome.Add(ImportOutcome.Approximate, "A card (or the first card of a carousel) becomes a message with its title and subtitle; its picture and buttons are not carried over.");
                return cardText.Length > 0 ? Message(Rewrite(cardText), outcome) : null;
            default:
                outcome.Add(ImportOutcome.NotCarried, $"The content type '{type}' has no Parley message to become.");
                return null;
        }
    }

    private static Step Message(string text, Outcome outcome)
    {
        if (text.Length > FlowValidator.MaxTextLength)
        {
            outcome.Add(ImportOutcome.Approximate, $"The text is cut at {FlowValidator.MaxTextLength} characters.");
        }
        return new Step(FlowBlocks.Message, new JsonObject { ["text"] = ImportJson.Clip(text) });
    }
}
