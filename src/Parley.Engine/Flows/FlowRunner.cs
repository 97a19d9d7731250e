using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Engine.Flows;

/// <summary>
/// Runs a flow: from the start block when a conversation opens, or from the waiting block with the visitor's answer,
/// through blocks that do not wait, until one waits for input or the flow ends. State in, messages and new state
/// out; the outside world only through <see cref="IFlowHost"/> and the responder.
/// </summary>
public sealed class FlowRunner(IResponder responder, IFlowHost host)
{
    private readonly IResponder _responder = responder;
    private readonly IFlowHost _host = host;

    /// <summary>Blocks one step may run; the validator refuses loops without input, so this only guards bugs.</summary>
    public const int MaxSteps = 200;

    public const int DefaultMaxAttempts = 3;
    public const int DefaultAiTurns = 3;
    public const int DefaultSlots = 3;
    public const int DefaultDaysAhead = 14;

    /// <summary>Starts the flow for a new conversation: runs from the start block.</summary>
    public ValueTask<FlowOutcome> StartAsync(FlowGraph graph, FlowContext context, CancellationToken cancellationToken)
    {
        var state = new FlowState { Variables = new Dictionary<string, string>(graph.Variables, StringComparer.Ordinal) };
        return new Step(this, graph, state, context).RunAsync(graph.Start, cancellationToken);
    }

    /// <summary>
    /// Gives the visitor's message to the waiting block and runs on. <paramref name="responderInput"/> is what an AI
    /// answer block hands the responder (the message with personal data redacted, when guardrails say so); blocks that
    /// read answers (ask, choice, booking) get <paramref name="input"/> as the visitor typed it.
    /// </summary>
    public async ValueTask<FlowOutcome> ContinueAsync(
        FlowGraph graph, FlowState state, FlowContext context, string input, CancellationToken cancellationToken, string? responderInput = null)
    {
        var step = new Step(this, graph, state, context, responderInput);
        if (state.Finished || state.Node is null || graph.Node(state.Node) is not { } node)
        {
            state.Finished = true;
            state.Node = null;
            return step.Outcome();
        }
        var next = await step.ResumeAsync(node, input, cancellationToken);
        return next.Stay ? step.Outcome() : await step.RunAsync(next.Target, cancellationToken);
    }

    private readonly record struct Next(string? Target, bool Stay)
    {
        public static Next Wait => new(null, true);

        public static Next To(string? target) => new(target, false);
    }

    private sealed class Step(FlowRunner runner, FlowGraph graph, FlowState state, FlowContext context, string? responderInput = null)
    {
        private readonly List<FlowReply> _replies = [];
        private string? _handoff;

        public FlowOutcome Outcome() => new(_replies, state, _handoff);

        public async ValueTask<FlowOutcome> RunAsync(string? target, CancellationToken cancellationToken)
        {
            for (var steps = 0; target is not null && steps < MaxSteps; steps++)
            {
                var node = graph.Node(target);
                if (node is null)
                {
                    break;
                }
                var next = await EnterAsync(node, cancellationToken);
                if (next.Stay)
                {
                    state.Node = node.Id;
                    return Outcome();
                }
                target = next.Target;
            }
            state.Node = null;
            state.Finished = true;
            return Outcome();
        }

        private string? Follow(FlowNode node, string port) => graph.Target(node.Id, port);

        private string Fill(string? template) => FlowText.Fill(template ?? "", Lookup);

        private string? Lookup(string name)
        {
            if (state.Variables.TryGetValue(name, out var value))
            {
                return value;
            }
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot > 0)
            {
                var (scope, key) = (name[..dot], name[(dot + 1)..]);
                return scope switch
                {
                    "contact" => context.Contact.GetValueOrDefault(key),
                    "utm" => context.Utm.GetValueOrDefault(key),
                    _ => null,
                };
            }
            return name == "page_url" ? context.PageUrl : null;
        }

        private void Say(string text, IReadOnlyList<QuickReply>? buttons = null)
        {
            if (!string.IsNullOrWhiteSpace(text))
            {
                _replies.Add(new FlowReply(FlowText.SafeMarkdown(text), buttons ?? []));
            }
        }

        private async ValueTask<Next> EnterAsync(FlowNode node, CancellationToken cancellationToken)
        {
            var s = node.Settings;
            switch (node.Type)
            {
                case FlowBlocks.Message:
                    var text = Fill(FlowSettings.String(s, "text"));
                    if (FlowSettings.Element(s, "image") is { } image && FlowSettings.String(image, "url") is { } url)
                    {
                        var alt = (FlowSettings.String(image, "alt") ?? "image").Replace("]", "", StringComparison.Ordinal);
                        text = (text.Length > 0 ? text + "\n\n" : "") + $"![{alt}]({url})";
                    }
                    Say(text);
                    return Next.To(Follow(node, "next"));
                case FlowBlocks.Choice:
                    AskChoice(node, Fill(FlowSettings.String(s, "text")));
                    return Next.Wait;
                case FlowBlocks.Ask:
                    state.Attempts = 0;
                    Say(Fill(FlowSettings.String(s, "text")));
                    return Next.Wait;
                case FlowBlocks.Condition:
                    return Next.To(Follow(node, Evaluate(s) ? "true" : "false"));
                case FlowBlocks.SetVariable:
                    state.Variables[FlowSettings.String(s, "variable")!] = Fill(FlowSettings.String(s, "value"));
                    return Next.To(Follow(node, "next"));
                case FlowBlocks.AiAnswer:
                    state.AiTurns = 0;
                    Say(Fill(FlowSettings.String(s, "text")));
                    return Next.Wait;
                case FlowBlocks.CaptureLead:
                    return Next.To(Follow(node, await CaptureLeadAsync(s, cancellationToken) ? "next" : "failed"));
                case FlowBlocks.BookAppointment:
                    return await OfferSlotsAsync(node, cancellationToken);
                case FlowBlocks.Http:
                    return Next.To(Follow(node, await CallAsync(s, cancellationToken) ? "ok" : "error"));
                case FlowBlocks.Handoff:
                    Say(Fill(FlowSettings.String(s, "text")));
                    _handoff = Fill(FlowSettings.String(s, "reason")) is { Length: > 0 } reason ? reason : "flow";
                    return Next.To(null);
                case FlowBlocks.Jump:
                    return Next.To(FlowSettings.String(s, "target"));
                default:
                    Say(Fill(FlowSettings.String(s, "text")));
                    return Next.To(null);
            }
        }

        public async ValueTask<Next> ResumeAsync(FlowNode node, string input, CancellationToken cancellationToken)
        {
            var s = node.Settings;
            switch (node.Type)
            {
                case FlowBlocks.Choice:
                    var options = FlowBlocks.ChoiceOptions(s);
                    var picked = options.FirstOrDefault(o =>
                        string.Equals(o.Id, input, StringComparison.OrdinalIgnoreCase) || string.Equals(o.Label, input, StringComparison.OrdinalIgnoreCase));
                    if (picked.Id is null)
                    {
                        AskChoice(node, FlowSettings.String(s, "retry_text") is { } retry ? Fill(retry) : "Please pick one of the options.");
                        return Next.Wait;
                    }
                    if (FlowSettings.String(s, "variable") is { } choiceVariable)
                    {
                        state.Variables[choiceVariable] = picked.Label;
                    }
                    return Next.To(Follow(node, picked.Id));
                case FlowBlocks.Ask:
                    var check = AnswerCheck.Check(input, FlowSettings.String(s, "input") ?? "text",
                        FlowSettings.Number(s, "min"), FlowSettings.Number(s, "max"), FlowSettings.String(s, "default_region"));
                    if (check.IsValid)
                    {
                        state.Variables[FlowSettings.String(s, "variable")!] = check.Value!;
                        state.Attempts = 0;
                        return Next.To(Follow(node, "next"));
                    }
                    state.Attempts++;
                    var max = (int)(FlowSettings.Number(s, "max_attempts") ?? DefaultMaxAttempts);
                    if (state.Attempts >= max)
                    {
                        state.Attempts = 0;
                        Say(Fill(FlowSettings.String(s, "gave_up_text")));
                        return Next.To(Follow(node, "gave_up"));
                    }
                    if (Follow(node, "invalid") is { } invalid)
                    {
                        state.Variables["last_error"] = check.Problem!;
                        return Next.To(invalid);
                    }
                    Say(FlowSettings.String(s, "retry_text") is { } retryText ? Fill(retryText) + " " + check.Problem : check.Problem!);
                    return Next.Wait;
                case FlowBlocks.AiAnswer:
                    var keywords = FlowSettings.Strings(s, "exit_keywords");
                    if (keywords.Any(k => input.Contains(k, StringComparison.OrdinalIgnoreCase)))
                    {
                        state.AiTurns = 0;
                        state.Variables["last_message"] = input;
                        return Next.To(Follow(node, "matched"));
                    }
                    var sources = FlowSettings.Strings(s, "knowledge_source_ids");
                    var reply = await runner._responder.RespondAsync(
                        new ResponderRequest(context.Bot, context.History, responderInput ?? input, KnowledgeSourceIds: sources.Count > 0 ? sources : null,
                            GuardrailInstructions: context.GuardrailInstructions),
                        cancellationToken);
                    _replies.Add(new FlowReply(reply.Text, reply.QuickReplies, reply.Citations, reply.Unanswered, reply.Usage));
                    state.AiTurns++;
                    if (state.AiTurns >= (int)(FlowSettings.Number(s, "max_turns") ?? DefaultAiTurns))
                    {
                        state.AiTurns = 0;
                        return Next.To(Follow(node, "done"));
                    }
                    return Next.Wait;
                case FlowBlocks.BookAppointment:
                    var slot = state.OfferedSlots.FirstOrDefault(v => string.Equals(v, input, StringComparison.Ordinal));
                    if (slot is null || !DateTimeOffset.TryParse(slot, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var start))
                    {
                        return await OfferSlotsAsync(node, cancellationToken, "Please pick one of the times offered.");
                    }
                    state.OfferedSlots = [];
                    var booking = await Host.BookAsync(context, new FlowBooking(start,
                        Blank(Fill(FlowSettings.String(s, "name") ?? "{{name}}")),
                        Blank(Fill(FlowSettings.String(s, "email") ?? "{{email}}")),
                        Blank(Fill(FlowSettings.String(s, "phone") ?? "{{phone}}")),
                        Blank(Fill(FlowSettings.String(s, "notes")))), cancellationToken);
                    if (booking.BookingId is { } bookingId)
                    {
                        state.Variables["booking_id"] = bookingId;
                        state.Variables["booking_start"] = slot;
                        Say(Fill(FlowSettings.String(s, "confirmation_text") ?? "You're booked. See you then!"));
                        return Next.To(Follow(node, "booked"));
                    }
                    state.Variables["booking_error"] = booking.Problem ?? "";
                    if (booking.SlotTaken)
                    {
                        // Someone took the time since it was offered: offer what is still free (or fail when nothing is).
                        return await OfferSlotsAsync(node, cancellationToken, booking.Problem ?? "That time has just been taken.");
                    }
                    Say(booking.Problem ?? "That time could not be booked.");
                    return Next.To(Follow(node, "failed"));
                default:
                    return await EnterAsync(node, cancellationToken);
            }
        }

        private IFlowHost Host => runner._host;

        private void AskChoice(FlowNode node, string text) =>
            Say(text, [.. FlowBlocks.ChoiceOptions(node.Settings).Select(o => new QuickReply(Fill(o.Label), o.Id))]);

        private async ValueTask<Next> OfferSlotsAsync(FlowNode node, CancellationToken cancellationToken, string? prefix = null)
        {
            var s = node.Settings;
            var days = FlowSettings.Number(s, "days_ahead") ?? DefaultDaysAhead;
            var count = (int)(FlowSettings.Number(s, "slots") ?? DefaultSlots);
            var slots = (await Host.FreeSlotsAsync(context, context.Now, context.Now.AddDays(days), cancellationToken)).Take(count).ToList();
            if (slots.Count == 0)
            {
                state.OfferedSlots = [];
                Say(Fill(FlowSettings.String(s, "no_slots_text") ?? "Sorry, there is no free time to book at the moment."));
                return Next.To(Follow(node, "failed"));
            }
            state.OfferedSlots = [.. slots.Select(x => x.Start.ToString("O", CultureInfo.InvariantCulture))];
            var text = Fill(FlowSettings.String(s, "text") ?? "When would suit you?");
            Say(prefix is null ? text : prefix + " " + text, [.. slots.Select(x =>
                new QuickReply(x.Start.ToString("ddd d MMM, HH:mm", CultureInfo.InvariantCulture), x.Start.ToString("O", CultureInfo.InvariantCulture)))]);
            return Next.Wait;
        }

        private async ValueTask<bool> CaptureLeadAsync(JsonElement s, CancellationToken cancellationToken)
        {
            var fields = FlowSettings.StringMap(s, "fields");
            string? Field(string name) => fields.TryGetValue(name, out var t) ? Blank(Fill(t)) : null;
            var custom = FlowSettings.StringMap(s, "custom").ToDictionary(p => p.Key, p => Fill(p.Value));
            var lead = new FlowLead(Field("name"), Field("email"), Field("phone"), Field("company"), custom);
            if (lead.Email is null && lead.Phone is null)
            {
                return false;
            }
            var id = await Host.CaptureLeadAsync(context, lead, cancellationToken);
            if (id is null)
            {
                return false;
            }
            state.Variables["lead_id"] = id;
            return true;
        }

        private async ValueTask<bool> CallAsync(JsonElement s, CancellationToken cancellationToken)
        {
            var url = FlowText.Fill(FlowSettings.String(s, "url")!, Lookup, Uri.EscapeDataString);
            var headers = FlowSettings.StringMap(s, "headers").ToDictionary(p => p.Key, p => Fill(p.Value));
            string? body = null;
            if (FlowSettings.Element(s, "body") is { } template)
            {
                body = FillJson(JsonNode.Parse(template.GetRawText()))?.ToJsonString();
            }
            var timeout = TimeSpan.FromSeconds(FlowSettings.Number(s, "timeout_seconds") ?? 10);
            var response = await Host.SendAsync(new FlowHttpRequest(FlowSettings.String(s, "method") ?? "GET", url, headers, body, timeout), cancellationToken);
            state.Variables["http_status"] = response.Status.ToString(CultureInfo.InvariantCulture);
            if (response.Status is < 200 or > 299)
            {
                return false;
            }
            var mapping = FlowSettings.StringMap(s, "response_mapping");
            if (mapping.Count > 0 && !string.IsNullOrEmpty(response.Body))
            {
                try
                {
                    using var document = JsonDocument.Parse(response.Body);
                    foreach (var (variable, path) in mapping)
                    {
                        state.Variables[variable] = JsonPath.Select(document.RootElement, path) ?? "";
                    }
                }
                catch (JsonException)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>Fills placeholders in every string of a JSON body, so values stay correctly escaped JSON.</summary>
        private JsonNode? FillJson(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var property in obj.ToList())
                    {
                        obj[property.Key] = FillJson(property.Value?.DeepClone());
                    }
                    return obj;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        array[i] = FillJson(array[i]?.DeepClone());
                    }
                    return array;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    return JsonValue.Create(Fill(value.GetValue<string>()));
                default:
                    return node;
            }
        }

        private bool Evaluate(JsonElement s)
        {
            var rules = FlowSettings.Element(s, "rules")!.Value.EnumerateArray().Select(Rule).ToList();
            return FlowSettings.String(s, "match") == "any" ? rules.Any(r => r) : rules.All(r => r);
        }

        private bool Rule(JsonElement rule)
        {
            var source = FlowSettings.String(rule, "source");
            var key = FlowSettings.String(rule, "key") ?? "";
            var op = FlowSettings.String(rule, "operator") ?? "open";
            if (source == "business_hours")
            {
                var open = BusinessHours.IsOpen(context.BusinessHoursJson, context.Now);
                return op == "closed" ? !open : open;
            }
            var actual = source switch
            {
                "variable" => state.Variables.GetValueOrDefault(key),
                "contact" => context.Contact.GetValueOrDefault(key),
                "utm" => context.Utm.GetValueOrDefault(key),
                "page_url" => context.PageUrl,
                _ => null,
            };
            var expected = Fill(FlowSettings.String(rule, "value") ?? FlowSettings.Element(rule, "value")?.GetRawText());
            return op switch
            {
                "exists" => !string.IsNullOrEmpty(actual),
                "not_exists" => string.IsNullOrEmpty(actual),
                "equals" => string.Equals(actual ?? "", expected, StringComparison.OrdinalIgnoreCase),
                "not_equals" => !string.Equals(actual ?? "", expected, StringComparison.OrdinalIgnoreCase),
                "contains" => actual is not null && actual.Contains(expected, StringComparison.OrdinalIgnoreCase),
                "starts_with" => actual is not null && actual.StartsWith(expected, StringComparison.OrdinalIgnoreCase),
                "greater_than" => Compare(actual, expected) is > 0,
                "less_than" => Compare(actual, expected) is < 0,
                _ => false,
            };
        }

        private static int? Compare(string? actual, string expected) =>
            double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var b)
                ? a.CompareTo(b)
                : null;

        private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
