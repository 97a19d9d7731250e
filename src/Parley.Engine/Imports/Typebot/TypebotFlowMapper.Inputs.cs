using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>Typebot's inputs as Parley's ask and choice blocks, with a capture-lead block after an email or phone question.</summary>
internal sealed partial class TypebotFlowMapper
{
    /// <summary>The input when it becomes a Parley question block (ask or choice); null when it is dropped.</summary>
    private static TypebotBlock? AsksQuestion(TypebotBlock block) => block.Type switch
    {
        "choice input" or "picture choice input" => block.Option("dynamicVariableId") is null && block.Items.Any() ? block : null,
        var type when InputTypes.Contains(type) => block,
        _ => null,
    };

    private Unit MapInput(TypebotBlock b)
    {
        if (AsksQuestion(b) is null)
        {
            return Drop(b, "The buttons come from a variable at run time (dynamic items); Parley's choice needs its options written in the flow.");
        }
        if (b.Type is "choice input" or "picture choice input")
        {
            return MapChoice(b);
        }
        var question = _questions.GetValueOrDefault(b.Id) ?? Placeholder(b) ?? "Your answer?";
        var variable = _variables.ById(b.Option("variableId")) ?? _variables.Fresh(b.Type.Replace(" input", "", StringComparison.Ordinal) + "_answer");
        var settings = new JsonObject { ["text"] = Clip(question).Text, ["variable"] = variable, ["max_attempts"] = AskAttempts };
        var approximations = new List<string>();
        switch (b.Type)
        {
            case "text input":
                settings["input"] = "text";
                break;
            case "number input":
                settings["input"] = "number";
                foreach (var bound in new[] { "min", "max" })
                {
                    if (Number(b.Options, bound) is { } value)
                    {
                        settings[bound] = value;
                    }
                    else if (b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty(bound, out _))
                    {
                        approximations.Add($"its {bound} comes from a variable, which Parley's number check does not read");
                    }
                }
                break;
            case "email input":
                settings["input"] = "email";
                break;
            case "url input":
                settings["input"] = "url";
                break;
            case "phone number input":
                settings["input"] = "phone";
                if (b.Option("defaultCountryCode") is { Length: 2 } region)
                {
                    settings["default_region"] = region.ToUpperInvariant();
                }
                break;
            case "date input":
                settings["input"] = "date";
                if (b.Options.ValueKind == JsonValueKind.Object && (IsTrue(b.Options, "isRange") || IsTrue(b.Options, "hasTime")))
                {
                    approximations.Add("Parley asks for one date, without a range or a time of day");
                }
                break;
            case "time input":
                settings["input"] = "text";
                approximations.Add("Parley has no time check, so the time is taken as text");
                break;
            case "rating input":
                settings["input"] = "number";
                var from = Number(b.Options, "startsAt") ?? 0;
                settings["min"] = from;
                settings["max"] = from + (Number(b.Options, "length") ?? 10) - (from > 0 ? 1 : 0);
                approximations.Add("the rating is asked as a number in its range, without stars or buttons");
                break;
        }
        if (b.Option("retryMessageContent") is { Length: > 0 } retry)
        {
            settings["retry_text"] = Clip(_variables.Rewrite(retry)).Text;
        }
        if (b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("attachments", out var attachments) && IsTrue(attachments, "isEnabled"))
        {
            approximations.Add("attachments are not taken");
        }
        if (b.Option("variableId") is null)
        {
            approximations.Add($"Typebot did not save the answer; Parley saves it in '{variable}'");
        }
        var outcome = approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created;
        var note = approximations.Count > 0 ? Sentence(approximations) : null;
        var id = Node(b, 0, FlowBlocks.Ask, settings);
        var report = Report(b, outcome, note, id);
        var after = (Continuation)new AfterBlock(b);
        _wires.Add((id, "gave_up", after));
        if (b.Type is "email input" or "phone number input")
        {
            // Typebot keeps contact details only in its results; in Parley a lead is captured by a block, so one is
            // added after each email and phone question, with what the flow has collected by then (the lead is
            // updated as more comes in).
            var fields = new JsonObject();
            foreach (var (field, name) in new[] { ("email", b.Type == "email input" ? variable : _emailVariable), ("phone", b.Type == "email input" ? _phoneVariable : variable), ("name", _variables.Named("name")) })
            {
                if (name is not null)
                {
                    fields[field] = "{{" + name + "}}";
                }
            }
            var lead = Node(b, 1, FlowBlocks.CaptureLead, new JsonObject { ["fields"] = fields });
            report.Nodes.Add(lead);
            report.Note = (report.Note is null ? "" : report.Note + " ") + "A capture-lead block is added after it, so the answer is kept as a lead (Typebot kept it only in its results).";
            _wires.Add((id, "next", new ToNode(lead)));
            _wires.Add((lead, "next", after));
            _wires.Add((lead, "failed", after));
        }
        else
        {
            _wires.Add((id, "next", after));
        }
        return new Unit(id, null);
    }

    private Unit MapChoice(TypebotBlock b)
    {
        var approximations = new List<string>();
        var items = b.Items.ToList();
        if (items.Count > MaxOptions)
        {
            approximations.Add($"Parley shows at most {MaxOptions} buttons; the last {items.Count - MaxOptions} are not carried over");
            items = items[..MaxOptions];
        }
        var options = new JsonArray();
        var ports = new List<(string Port, Continuation To)>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var label = TypebotDocument.Text(item, b.Type == "choice input" ? "content" : "title")
                ?? (b.Type == "choice input" ? null : TypebotDocument.Text(item, "pictureSrc"))
                ?? $"Option {i + 1}";
            label = _variables.Rewrite(label.Trim());
            if (label.Length is 0 or > MaxLabel)
            {
                label = label.Length == 0 ? $"Option {i + 1}" : label[..MaxLabel];
            }
            var port = $"option_{i + 1}";
            options.Add(new JsonObject { ["id"] = port, ["label"] = label });
            ports.Add((port, ItemContinuation(b, item)));
            if (item.TryGetProperty("displayCondition", out var condition) && IsTrue(condition, "isEnabled"))
            {
                approximations.Add($"the button '{label}' is always shown (Parley has no display conditions)");
            }
        }
        if (b.Type == "picture choice input")
        {
            approximations.Add("the pictures are not shown; the buttons carry their titles");
        }
        if (IsTrue(b.Options, "isMultipleChoice"))
        {
            approximations.Add("Parley takes one choice, not several");
        }
        var settings = new JsonObject
        {
            ["text"] = Clip(_questions.GetValueOrDefault(b.Id) ?? "Please choose:").Text,
            ["options"] = options,
        };
        if (_variables.ById(b.Option("variableId")) is { } variable)
        {
            settings["variable"] = variable;
        }
        var id = Node(b, 0, FlowBlocks.Choice, settings);
        Report(b, approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created, approximations.Count > 0 ? Sentence(approximations) : null, id);
        foreach (var (port, to) in ports)
        {
            _wires.Add((id, port, to));
        }
        return new Unit(id, null);
    }

    private string? Placeholder(TypebotBlock b) =>
        b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("labels", out var labels) && TypebotDocument.Text(labels, "placeholder") is { Length: > 0 } p
            ? _variables.Rewrite(p)
            : null;
}
