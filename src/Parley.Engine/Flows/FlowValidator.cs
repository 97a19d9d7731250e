using System.Text.Json;

namespace Parley.Engine.Flows;

/// <summary>The outcome of validating a flow document: the graph when it is valid, else the errors by node id.</summary>
public sealed record FlowValidation(FlowGraph? Graph, IReadOnlyDictionary<string, string[]> Errors)
{
    public bool IsValid => Graph is not null;
}

/// <summary>
/// Checks a flow document before it is saved or published: its shape, unique ids, known block types, required
/// settings, edges that connect existing ports to existing blocks, blocks the start cannot reach, and cycles that never
/// wait for the visitor (they would spin forever in one turn). Errors are grouped by the id of the block they concern;
/// errors about the document as a whole are under <c>flow</c>.
/// </summary>
public static class FlowValidator
{
    public const string FlowKey = "flow";
    public const int MaxNodes = 500;
    public const int MaxEdges = 2000;
    public const int MaxTextLength = 4000;
    public const int MaxNotes = 100;
    public const int MaxNoteLength = 500;

    public static readonly IReadOnlyList<string> AskInputs = ["text", "email", "phone", "number", "date", "url"];
    public static readonly IReadOnlyList<string> HttpMethods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    public static readonly IReadOnlyList<string> ConditionSources = ["variable", "contact", "page_url", "utm", "business_hours"];
    public static readonly IReadOnlyList<string> ConditionOperators =
        ["equals", "not_equals", "contains", "starts_with", "exists", "not_exists", "greater_than", "less_than", "open", "closed"];

    public static FlowValidation Validate(JsonElement root)
    {
        var errors = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        void Add(string key, string message)
        {
            if (!errors.TryGetValue(key, out var list))
            {
                errors[key] = list = [];
            }
            list.Add(message);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            Add(FlowKey, "A flow is a JSON object with \"nodes\", \"edges\" and \"start\".");
            return Result(null, errors);
        }

        var nodes = new List<FlowNode>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (!root.TryGetProperty("nodes", out var nodesElement) || nodesElement.ValueKind != JsonValueKind.Array)
        {
            Add(FlowKey, "\"nodes\" must be an array of blocks.");
        }
        else if (nodesElement.GetArrayLength() > MaxNodes)
        {
            Add(FlowKey, $"A flow may have at most {MaxNodes} blocks.");
        }
        else
        {
            var index = 0;
            foreach (var element in nodesElement.EnumerateArray())
            {
                var fallbackKey = $"nodes[{index++}]";
                if (element.ValueKind != JsonValueKind.Object)
                {
                    Add(fallbackKey, "A block must be a JSON object.");
                    continue;
                }
                var id = FlowSettings.String(element, "id");
                if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
                {
                    Add(fallbackKey, "A block needs an \"id\": a string of 1 to 100 characters.");
                    continue;
                }
                if (!seen.Add(id))
                {
                    Add(id, $"The id '{id}' is used by more than one block.");
                    continue;
                }
                var type = FlowSettings.String(element, "type");
                if (type is null || !FlowBlocks.All.Contains(type))
                {
                    Add(id, $"Unknown block type '{type}'; known types: {string.Join(", ", FlowBlocks.All)}.");
                }
                double x = 0, y = 0;
                if (!element.TryGetProperty("position", out var position) || position.ValueKind != JsonValueKind.Object
                    || FlowSettings.Number(position, "x") is not { } px || FlowSettings.Number(position, "y") is not { } py)
                {
                    Add(id, "\"position\" must be an object with numeric \"x\" and \"y\".");
                }
                else
                {
                    (x, y) = (px, py);
                }
                var settings = element.TryGetProperty("settings", out var s) ? s : default;
                if (settings.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
                {
                    Add(id, "\"settings\" must be a JSON object.");
                    settings = default;
                }
                var clone = settings.ValueKind == JsonValueKind.Object ? settings.Clone() : JsonDocument.Parse("{}").RootElement.Clone();
                if (type is not null && FlowBlocks.All.Contains(type))
                {
                    foreach (var problem in SettingsProblems(type, clone))
                    {
                        Add(id, problem);
                    }
                }
                nodes.Add(new FlowNode(id, type ?? "", x, y, clone));
            }
        }

        var byId = nodes.ToDictionary(n => n.Id, StringComparer.Ordinal);
        foreach (var jump in nodes.Where(n => n.Type == FlowBlocks.Jump))
        {
            var target = FlowSettings.String(jump.Settings, "target");
            if (target is not null && !byId.ContainsKey(target))
            {
                Add(jump.Id, $"The jump target '{target}' is not a block of this flow.");
            }
        }

        var edges = new List<FlowEdge>();
        if (!root.TryGetProperty("edges", out var edgesElement) || edgesElement.ValueKind != JsonValueKind.Array)
        {
            Add(FlowKey, "\"edges\" must be an array (empty when no block is wired).");
        }
        else if (edgesElement.GetArrayLength() > MaxEdges)
        {
            Add(FlowKey, $"A flow may have at most {MaxEdges} edges.");
        }
        else
        {
            var edgeIds = new HashSet<string>(StringComparer.Ordinal);
            var wired = new HashSet<(string, string)>();
            var index = 0;
            foreach (var element in edgesElement.EnumerateArray())
            {
                var label = $"edges[{index++}]";
                var id = element.ValueKind == JsonValueKind.Object ? FlowSettings.String(element, "id") : null;
                var from = FlowSettings.Element(element, "from");
                var to = FlowSettings.Element(element, "to");
                var fromNode = from is { } f ? FlowSettings.String(f, "node") : null;
                var port = from is { } p ? FlowSettings.String(p, "port") : null;
                var toNode = to is { } t ? FlowSettings.String(t, "node") : null;
                var key = fromNode is not null && byId.ContainsKey(fromNode) ? fromNode : label;
                var name = id is null ? label : $"edge '{id}'";
                if (string.IsNullOrWhiteSpace(id) || fromNode is null || port is null || toNode is null)
                {
                    Add(key, $"{label}: an edge needs \"id\", \"from\": {{\"node\", \"port\"}} and \"to\": {{\"node\"}}.");
                    continue;
                }
                if (!edgeIds.Add(id))
                {
                    Add(key, $"The edge id '{id}' is used more than once.");
                    continue;
                }
                if (!byId.TryGetValue(fromNode, out var source))
                {
                    Add(label, $"The {name} starts at '{fromNode}', which is not a block of this flow.");
                    continue;
                }
                if (!byId.ContainsKey(toNode))
                {
                    Add(fromNode, $"The {name} leads to '{toNode}', which is not a block of this flow.");
                    continue;
                }
                var ports = FlowBlocks.Ports(source.Type, source.Settings);
                if (!ports.Contains(port))
                {
                    Add(fromNode, ports.Count == 0
                        ? $"The {name} leaves from port '{port}', but a {source.Type} block has no output ports."
                        : $"The {name} leaves from port '{port}', which a {source.Type} block does not have (ports: {string.Join(", ", ports)}).");
                    continue;
                }
                if (!wired.Add((fromNode, port)))
                {
                    Add(fromNode, $"The port '{port}' is wired more than once; a port leads to one block.");
                    continue;
                }
                edges.Add(new FlowEdge(id, fromNode, port, toNode));
            }
        }

        var start = FlowSettings.String(root, "start");
        if (start is null)
        {
            Add(FlowKey, "\"start\" must name the block that runs first.");
        }
        else if (!byId.ContainsKey(start))
        {
            Add(FlowKey, $"The start block '{start}' is not a block of this flow.");
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (FlowSettings.Element(root, "variables") is { } vars)
        {
            if (vars.ValueKind != JsonValueKind.Object)
            {
                Add(FlowKey, "\"variables\" must be an object of names to starting values.");
            }
            else
            {
                foreach (var property in vars.EnumerateObject())
                {
                    if (!IsVariableName(property.Name))
                    {
                        Add(FlowKey, $"'{property.Name}' is not a valid variable name (letters, digits and _, starting with a letter).");
                    }
                    variables[property.Name] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString()!,
                        JsonValueKind.Null => "",
                        _ => property.Value.GetRawText(),
                    };
                }
            }
        }

        var notes = Notes(root, seen, Add);

        if (start is not null && byId.ContainsKey(start))
        {
            var successors = Successors(nodes, edges);
            var reachable = Reach(start, successors);
            foreach (var node in nodes.Where(n => !reachable.Contains(n.Id)))
            {
                Add(node.Id, "This block cannot be reached from the start block.");
            }
            foreach (var id in SpinningCycles(nodes, successors))
            {
                Add(id, "This block is on a loop that never waits for the visitor (add a choice, ask, AI answer or booking block to the loop).");
            }
        }

        return Result(errors.Count == 0 ? new FlowGraph(nodes, edges, start!, variables, notes) : null, errors);
    }

    /// <summary>
    /// Reads the optional <c>notes</c>: sticky notes with an id no block or other note uses, 1 to
    /// <see cref="MaxNoteLength"/> characters of text and a finite position. Errors are under the note's id.
    /// </summary>
    private static List<FlowNote> Notes(JsonElement root, HashSet<string> blockIds, Action<string, string> add)
    {
        var notes = new List<FlowNote>();
        if (FlowSettings.Element(root, "notes") is not { } element || element.ValueKind == JsonValueKind.Null)
        {
            return notes;
        }
        if (element.ValueKind != JsonValueKind.Array)
        {
            add(FlowKey, "\"notes\" must be an array of sticky notes.");
            return notes;
        }
        if (element.GetArrayLength() > MaxNotes)
        {
            add(FlowKey, $"A flow may have at most {MaxNotes} notes.");
            return notes;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var label = $"notes[{index++}]";
            var id = item.ValueKind == JsonValueKind.Object ? FlowSettings.String(item, "id") : null;
            if (string.IsNullOrWhiteSpace(id) || id.Length > 100)
            {
                add(label, "A note needs an \"id\": a string of 1 to 100 characters.");
                continue;
            }
            if (blockIds.Contains(id))
            {
                add(id, $"The note id '{id}' is already a block's id.");
                continue;
            }
            if (!seen.Add(id))
            {
                add(id, $"The id '{id}' is used by more than one note.");
                continue;
            }
            var text = FlowSettings.String(item, "text");
            var valid = true;
            if (string.IsNullOrWhiteSpace(text) || text.Length > MaxNoteLength)
            {
                add(id, $"A note's \"text\" must be 1 to {MaxNoteLength} characters.");
                valid = false;
            }
            if (Finite(item, "x") is not { } x || Finite(item, "y") is not { } y)
            {
                add(id, "A note needs finite numbers \"x\" and \"y\".");
                continue;
            }
            if (valid)
            {
                notes.Add(new FlowNote(id, text!, x, y));
            }
        }
        return notes;
    }

    private static double? Finite(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;

    public static bool IsVariableName(string name) =>
        name.Length is > 0 and <= 64 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static FlowValidation Result(FlowGraph? graph, Dictionary<string, List<string>> errors) =>
        new(graph, errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));

    private static Dictionary<string, List<string>> Successors(List<FlowNode> nodes, List<FlowEdge> edges)
    {
        var successors = nodes.ToDictionary(n => n.Id, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var edge in edges)
        {
            successors[edge.FromNode].Add(edge.ToNode);
        }
        foreach (var jump in nodes.Where(n => n.Type == FlowBlocks.Jump))
        {
            if (FlowSettings.String(jump.Settings, "target") is { } target && successors.TryGetValue(target, out _))
            {
                successors[jump.Id].Add(target);
            }
        }
        return successors;
    }

    private static HashSet<string> Reach(string start, Dictionary<string, List<string>> successors)
    {
        var reached = new HashSet<string>(StringComparer.Ordinal) { start };
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var id))
        {
            foreach (var next in successors[id].Where(reached.Add))
            {
                queue.Enqueue(next);
            }
        }
        return reached;
    }

    /// <summary>Blocks on a cycle made only of blocks that do not wait for input (strongly connected components, Tarjan).</summary>
    private static IEnumerable<string> SpinningCycles(List<FlowNode> nodes, Dictionary<string, List<string>> successors)
    {
        var active = nodes.Where(n => !FlowBlocks.WaitsForInput(n.Type)).Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        var counter = 0;

        void Connect(string v)
        {
            index[v] = low[v] = counter++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in successors[v].Where(active.Contains))
            {
                if (!index.TryGetValue(w, out var seen))
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w))
                {
                    low[v] = Math.Min(low[v], seen);
                }
            }
            if (low[v] != index[v])
            {
                return;
            }
            var component = new List<string>();
            string popped;
            do
            {
                popped = stack.Pop();
                onStack.Remove(popped);
                component.Add(popped);
            }
            while (popped != v);
            if (component.Count > 1 || successors[v].Contains(v))
            {
                result.AddRange(component);
            }
        }

        foreach (var id in nodes.Select(n => n.Id).Where(active.Contains))
        {
            if (!index.ContainsKey(id))
            {
                Connect(id);
            }
        }
        return nodes.Select(n => n.Id).Where(result.Contains);
    }

    private static List<string> SettingsProblems(string type, JsonElement settings)
    {
        string? Text(string name) => FlowSettings.String(settings, name);
        bool Has(string name) => !string.IsNullOrWhiteSpace(Text(name));
        IEnumerable<string> Long(params string[] names) =>
            names.Where(n => Text(n) is { Length: > MaxTextLength }).Select(n => $"settings.{n} may be at most {MaxTextLength} characters.");
        IEnumerable<string> Variable(string name, bool required)
        {
            var value = Text(name);
            if (value is null)
            {
                return required ? [$"settings.{name} is required: the variable to store into."] : [];
            }
            return IsVariableName(value) ? [] : [$"settings.{name} '{value}' is not a valid variable name."];
        }

        var problems = new List<string>(Long("text", "retry_text", "no_slots_text", "confirmation_text"));
        switch (type)
        {
            case FlowBlocks.Message:
                var image = FlowSettings.Element(settings, "image");
                if (!Has("text") && image is null)
                {
                    problems.Add("settings.text (or settings.image) is required.");
                }
                if (image is { } img && (img.ValueKind != JsonValueKind.Object || !IsHttpUrl(FlowSettings.String(img, "url"))))
                {
                    problems.Add("settings.image must be an object with an absolute http(s) \"url\" (and an optional \"alt\").");
                }
                break;
            case FlowBlocks.Choice:
                if (!Has("text"))
                {
                    problems.Add("settings.text is required: the question above the buttons.");
                }
                var options = FlowBlocks.ChoiceOptions(settings);
                if (options.Count is 0 or > 10)
                {
                    problems.Add("settings.options must hold 1 to 10 options, each with an \"id\" (its port) and a \"label\".");
                }
                if (options.Select(o => o.Id).Distinct(StringComparer.Ordinal).Count() != options.Count)
                {
                    problems.Add("The ids of settings.options must be unique.");
                }
                if (options.Any(o => o.Label.Length is 0 or > 100))
                {
                    problems.Add("An option's label must have 1 to 100 characters.");
                }
                problems.AddRange(Variable("variable", required: false));
                break;
            case FlowBlocks.Ask:
                if (!Has("text"))
                {
                    problems.Add("settings.text is required: the question.");
                }
                problems.AddRange(Variable("variable", required: true));
                var input = Text("input") ?? "text";
                if (!AskInputs.Contains(input))
                {
                    problems.Add($"settings.input must be one of {string.Join(", ", AskInputs)}.");
                }
                if (FlowSettings.Number(settings, "min") is { } min && FlowSettings.Number(settings, "max") is { } max && min > max)
                {
                    problems.Add("settings.min must not be greater than settings.max.");
                }
                if (FlowSettings.Number(settings, "max_attempts") is { } attempts && attempts is < 1 or > 10)
                {
                    problems.Add("settings.max_attempts must be between 1 and 10.");
                }
                break;
            case FlowBlocks.Condition:
                var rules = FlowSettings.Element(settings, "rules");
                if (rules is not { ValueKind: JsonValueKind.Array } array || array.GetArrayLength() == 0)
                {
                    problems.Add("settings.rules must hold at least one rule.");
                    break;
                }
                var i = 0;
                foreach (var rule in rules.Value.EnumerateArray())
                {
                    var source = FlowSettings.String(rule, "source");
                    var op = FlowSettings.String(rule, "operator") ?? (source == "business_hours" ? "open" : null);
                    if (source is null || !ConditionSources.Contains(source))
                    {
                        problems.Add($"settings.rules[{i}].source must be one of {string.Join(", ", ConditionSources)}.");
                    }
                    if (op is null || !ConditionOperators.Contains(op))
                    {
                        problems.Add($"settings.rules[{i}].operator must be one of {string.Join(", ", ConditionOperators)}.");
                    }
                    if (source is "variable" or "contact" or "utm" && FlowSettings.String(rule, "key") is null)
                    {
                        problems.Add($"settings.rules[{i}].key is required for the source '{source}'.");
                    }
                    i++;
                }
                if (Text("match") is { } match && match is not ("all" or "any"))
                {
                    problems.Add("settings.match must be \"all\" or \"any\".");
                }
                break;
            case FlowBlocks.SetVariable:
                problems.AddRange(Variable("variable", required: true));
                if (Text("value") is null)
                {
                    problems.Add("settings.value is required (a text; {{variables}} are filled in).");
                }
                break;
            case FlowBlocks.AiAnswer:
                if (FlowSettings.Number(settings, "max_turns") is { } turns && turns is < 1 or > 50)
                {
                    problems.Add("settings.max_turns must be between 1 and 50.");
                }
                break;
            case FlowBlocks.CaptureLead:
                var fields = FlowSettings.StringMap(settings, "fields");
                if (!fields.ContainsKey("email") && !fields.ContainsKey("phone"))
                {
                    problems.Add("settings.fields needs at least \"email\" or \"phone\" (texts such as \"{{email}}\").");
                }
                break;
            case FlowBlocks.BookAppointment:
                if (FlowSettings.Number(settings, "slots") is { } slots && slots is < 1 or > 10)
                {
                    problems.Add("settings.slots must be between 1 and 10.");
                }
                if (FlowSettings.Number(settings, "days_ahead") is { } days && days is < 1 or > 365)
                {
                    problems.Add("settings.days_ahead must be between 1 and 365.");
                }
                break;
            case FlowBlocks.Http:
                if (!HttpMethods.Contains(Text("method") ?? "GET"))
                {
                    problems.Add($"settings.method must be one of {string.Join(", ", HttpMethods)}.");
                }
                if (!Has("url"))
                {
                    problems.Add("settings.url is required.");
                }
                else if (!Text("url")!.Contains("{{", StringComparison.Ordinal) && !IsHttpUrl(Text("url")))
                {
                    problems.Add("settings.url must be an absolute http(s) URL.");
                }
                if (FlowSettings.Number(settings, "timeout_seconds") is { } timeout && timeout is < 1 or > 30)
                {
                    problems.Add("settings.timeout_seconds must be between 1 and 30.");
                }
                foreach (var (name, path) in FlowSettings.StringMap(settings, "response_mapping"))
                {
                    if (!IsVariableName(name))
                    {
                        problems.Add($"settings.response_mapping: '{name}' is not a valid variable name.");
                    }
                    if (!JsonPath.IsValid(path))
                    {
                        problems.Add($"settings.response_mapping.{name}: '{path}' is not a supported path (like $.data.items[0].name).");
                    }
                }
                break;
            case FlowBlocks.Jump:
                if (!Has("target"))
                {
                    problems.Add("settings.target is required: the id of the block to go to.");
                }
                break;
        }
        return problems;
    }

    internal static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";
}
