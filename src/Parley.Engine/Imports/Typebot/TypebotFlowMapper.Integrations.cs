using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Typebot;

/// <summary>HTTP requests, AI model blocks and Cal.com bookings.</summary>
internal sealed partial class TypebotFlowMapper
{
    private Unit MapHttp(TypebotBlock b)
    {
        var request = b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("webhook", out var w) && w.ValueKind == JsonValueKind.Object ? w : default;
        var url = TypebotDocument.Text(request, "url");
        if (request.ValueKind != JsonValueKind.Object || string.IsNullOrWhiteSpace(url))
        {
            return Drop(b, b.Json.TryGetProperty("webhookId", out _)
                ? "The request is stored apart from the flow in schema version 3, so the export does not hold it; open and save the bot in Typebot, then export again."
                : "The request has no URL.");
        }
        var approximations = new List<string>();
        url = _variables.Rewrite(url.Trim());
        var query = KeyValues(request, "queryParams").Select(p => Uri.EscapeDataString(p.Key) + "=" + _variables.Rewrite(p.Value)).ToList();
        if (query.Count > 0)
        {
            url += (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + string.Join("&", query);
        }
        if (!url.Contains("{{", StringComparison.Ordinal) && !FlowValidator.IsHttpUrl(url))
        {
            return Drop(b, $"'{url}' is not an absolute http(s) URL.");
        }
        var method = (TypebotDocument.Text(request, "method") ?? "POST").ToUpperInvariant();
        if (!FlowValidator.HttpMethods.Contains(method))
        {
            approximations.Add($"Parley has no {method} request; it sends GET");
            method = "GET";
        }
        var settings = new JsonObject { ["method"] = method, ["url"] = url };
        var headers = KeyValues(request, "headers").ToList();
        if (headers.Count > 0)
        {
            var headerObject = new JsonObject();
            foreach (var (key, value) in headers)
            {
                headerObject[key] = _variables.Rewrite(value);
            }
            settings["headers"] = headerObject;
        }
        if (method != "GET")
        {
            var body = TypebotDocument.Text(request, "body");
            if (IsTrue(b.Options, "isCustomBody") && !string.IsNullOrWhiteSpace(body))
            {
                try
                {
                    settings["body"] = JsonNode.Parse(_variables.Rewrite(body));
                }
                catch (JsonException)
                {
                    settings["body"] = _variables.Rewrite(body);
                    approximations.Add("the body is not JSON before variables are filled in, so it is sent as one JSON string");
                }
            }
            else
            {
                // Without a custom body Typebot sends every variable by name.
                settings["body"] = new JsonObject(_document.Variables.Where(v => _variables.ById(v.Id) is not null).GroupBy(v => v.Name)
                    .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)JsonValue.Create("{{" + _variables.ById(g.First().Id) + "}}"))));
            }
        }
        if (Number(b.Options, "timeout") is { } timeout)
        {
            var clamped = Math.Clamp(timeout, 1, 30);
            if (Math.Abs(clamped - timeout) > 0.001)
            {
                approximations.Add($"Parley waits at most 30 seconds, not {timeout}");
            }
            settings["timeout_seconds"] = clamped;
        }
        var mapping = new JsonObject();
        if (b.Options.TryGetProperty("responseVariableMapping", out var responseMapping) && responseMapping.ValueKind == JsonValueKind.Array)
        {
            foreach (var m in responseMapping.EnumerateArray())
            {
                var variable = _variables.ById(TypebotDocument.Text(m, "variableId"));
                var path = TypebotDocument.Text(m, "bodyPath") ?? "data";
                // Typebot's paths start at { statusCode, data }; Parley's at the response body.
                var parleyPath = path == "data" ? "$" : path.StartsWith("data.", StringComparison.Ordinal) || path.StartsWith("data[", StringComparison.Ordinal) ? "$" + path[4..] : null;
                if (variable is null)
                {
                    continue;
                }
                if (parleyPath is null || !JsonPath.IsValid(parleyPath))
                {
                    approximations.Add($"the response path '{path}' for {variable} is not carried over (Parley reads paths like data.items[0].name; the status is in {{{{http_status}}}})");
                    continue;
                }
                mapping[variable] = parleyPath;
            }
        }
        if (mapping.Count > 0)
        {
            settings["response_mapping"] = mapping;
        }
        if (IsTrue(b.Options, "isExecutedOnClient"))
        {
            approximations.Add("the request is sent by the server, not the visitor's browser");
        }
        var id = Node(b, 0, FlowBlocks.Http, settings);
        Report(b, approximations.Count > 0 ? ImportOutcome.Approximate : ImportOutcome.Created,
            Sentence(approximations.Prepend("Like Typebot, the flow goes on whether the request succeeds or fails")), id);
        _wires.Add((id, "ok", new AfterBlock(b)));
        _wires.Add((id, "error", new AfterBlock(b)));
        return new Unit(id, null);
    }

    private Unit MapModel(TypebotBlock b)
    {
        var action = b.Option("action") ?? b.Option("task");
        if (action is not null && !action.Contains("chat", StringComparison.OrdinalIgnoreCase) && !action.Contains("Ask", StringComparison.OrdinalIgnoreCase)
            && !action.Contains("message", StringComparison.OrdinalIgnoreCase))
        {
            return Drop(b, $"The {b.Type} action '{action}' has no Parley block.");
        }
        var system = b.Option("systemMessage") ?? (b.Options.ValueKind == JsonValueKind.Object && b.Options.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
            ? messages.EnumerateArray().Where(m => TypebotDocument.Text(m, "role") == "system").Select(m => TypebotDocument.Text(m, "content")).FirstOrDefault(t => t is not null)
            : null);
        var model = b.Option("model");
        var note = "Becomes an AI answer block: it answers the visitor's next messages with the bot's own model and knowledge, then goes on. "
            + "Typebot's prompt messages, response variables and credentials are not carried over"
            + (model is null ? "" : $" (the model was {model})")
            + (system is null ? "." : $"; put its system message into the bot's instructions: \"{Short(system, 300)}\".");
        return Single(b, ImportOutcome.Approximate, note, FlowBlocks.AiAnswer, new JsonObject { ["max_turns"] = 10 }, ports: ["done"]);
    }

    private Unit MapCalCom(TypebotBlock b)
    {
        var settings = new JsonObject { ["text"] = "Here are the next free times. Which suits you?", ["slots"] = 3, ["days_ahead"] = 14 };
        foreach (var (from, to) in new[] { ("name", "name"), ("email", "email"), ("phone", "phone"), ("additionalNotes", "notes") })
        {
            if (b.Option(from) is { Length: > 0 } value)
            {
                settings[to] = _variables.Rewrite(value);
            }
        }
        var id = Node(b, 0, FlowBlocks.BookAppointment, settings);
        var report = Report(b, ImportOutcome.Approximate,
            "Books against this bot's own booking calendar (set it up: docs/bookings.md) instead of the Cal.com event"
            + (b.Option("link") is { } link ? $" '{link}'" : "") + "; the visitor picks from offered times instead of Cal.com's calendar.", id);
        var after = (Continuation)new AfterBlock(b);
        if (_variables.ById(b.Option("saveBookedDateInVariableId")) is { } saved)
        {
            var save = Node(b, 1, FlowBlocks.SetVariable, new JsonObject { ["variable"] = saved, ["value"] = "{{booking_start}}" });
            report.Nodes.Add(save);
            _wires.Add((id, "booked", new ToNode(save)));
            _wires.Add((save, "next", after));
        }
        else
        {
            _wires.Add((id, "booked", after));
        }
        _wires.Add((id, "failed", after));
        return new Unit(id, null);
    }

    private static IEnumerable<KeyValuePair<string, string>> KeyValues(JsonElement request, string name) =>
        request.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray()
                .Where(p => TypebotDocument.Text(p, "key") is { Length: > 0 })
                .Select(p => KeyValuePair.Create(TypebotDocument.Text(p, "key")!, TypebotDocument.Text(p, "value") ?? ""))
            : [];
}
