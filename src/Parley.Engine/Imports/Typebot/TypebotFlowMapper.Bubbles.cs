using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>Text and image bubbles as Parley messages.</summary>
internal sealed partial class TypebotFlowMapper
{
    private Unit MapText(TypebotBlock b)
    {
        var text = _variables.Rewrite(TypebotRichText.ToMarkdown(Content(b)));
        if (text.Length == 0)
        {
            return Drop(b, "The text bubble is empty.");
        }
        // Typebot shows a bubble and then waits for the input below it; Parley's question blocks say their question
        // themselves, so the bubble right above an input becomes that input's question.
        if (b.OutgoingEdgeId is null && b.Index + 1 < b.Group.Blocks.Count && AsksQuestion(b.Group.Blocks[b.Index + 1]) is { } input)
        {
            _questions[input.Id] = text;
            return Through(b, ImportOutcome.Created, $"Becomes the question of the block '{input.Id}'.", new AfterBlock(b));
        }
        var (clipped, cut) = Clip(text);
        return Single(b, cut ? ImportOutcome.Approximate : ImportOutcome.Created, cut ? ClipNote : null, FlowBlocks.Message, new JsonObject { ["text"] = clipped });
    }

    private Unit MapImage(TypebotBlock b)
    {
        var content = Content(b);
        var url = TypebotDocument.Text(content, "url");
        if (string.IsNullOrWhiteSpace(url))
        {
            return Drop(b, "The image bubble has no address.");
        }
        var alt = content.ValueKind == JsonValueKind.Object && content.TryGetProperty("clickLink", out var link) ? TypebotDocument.Text(link, "alt") : null;
        if (FlowValidator.IsHttpUrl(url))
        {
            var image = new JsonObject { ["url"] = url };
            if (alt is { Length: > 0 })
            {
                image["alt"] = alt;
            }
            return Single(b, ImportOutcome.Created, null, FlowBlocks.Message, new JsonObject { ["image"] = image });
        }
        if (url.Contains("{{", StringComparison.Ordinal))
        {
            return Single(b, ImportOutcome.Created, "The image address comes from a variable, so it is shown through the message's Markdown.",
                FlowBlocks.Message, new JsonObject { ["text"] = $"![{alt ?? "image"}]({_variables.Rewrite(url)})" });
        }
        return Drop(b, $"The image address '{url}' is not an http(s) URL.");
    }
}
