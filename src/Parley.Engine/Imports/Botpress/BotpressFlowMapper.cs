using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parley.Engine.Flows;

namespace Parley.Engine.Imports.Botpress;

/// <summary>
/// Maps a Botpress v12 bot through an <see cref="ImportedFlowBuilder"/>: every flow's nodes become Parley blocks
/// (flows side by side on the canvas, main first), their <c>onEnter</c> actions a chain of messages and set-variable
/// blocks, a node that waits for the visitor an ask, its transitions condition blocks tried in order, links to another
/// flow jumps, and the choice and slot skills choice and ask blocks. Q&amp;A entries become knowledge texts.
/// </summary>
internal sealed partial class BotpressFlowMapper(BotpressArchive archive)
{
    private const string Platform = "Botpress";
    private const string MainFlow = "main.flow.json";
    private const string SkillsFolder = "skills/";
    private const double Row = 120;
    private const double FlowGap = 700;

    /// <summary>Where a node that waits keeps the visitor's message, which Botpress reads as <c>event.payload.text</c>.</summary>
    internal const string MessageVariable = "last_message";

    private readonly ImportedFlowBuilder _flow = new();
    private readonly List<(string Source, string Handle, string Flow, string Node, double X, double Y)> _flowLinks = [];
    private readonly HashSet<string> _usedPlaceholders = new(StringComparer.Ordinal);
    private bool _usedIntents;

    [GeneratedRegex(@"\{\{\s*([^{}]+?)\s*\}\}")]
    private static partial Regex Placeholder();

    public FlowImport Map()
    {
        if (!archive.Flows.TryGetValue(MainFlow, out var main))
        {
            throw new ImportFileException("The archive has no flows/main.flow.json, where every Botpress bot starts.");
        }
        var flows = archive.Flows.Keys.Where(f => !f.StartsWith(SkillsFolder, StringComparison.Ordinal))
            .OrderBy(f => f == MainFlow ? 0 : 1).ThenBy(f => f, StringComparer.Ordinal).ToList();
        // The main flow stays where it was drawn; each other flow gets its own stretch of canvas to the right.
        double? left = null;
        foreach (var flow in flows)
        {
            var positions = archive.Positions[flow].Values.ToList();
            var minX = positions.Count == 0 ? 0 : positions.Min(p => p.X);
            var maxX = positions.Count == 0 ? 0 : positions.Max(p => p.X);
            var dx = left is { } x ? x - minX : 0;
            MapFlow(flow, archive.Flows[flow], dx);
            left = maxX + dx + FlowGap;
        }
        foreach (var (source, handle, flow, node, x, y) in _flowLinks)
        {
            var target = _flow.Resolve(Key(flow, node));
            var id = $"{source}:{handle}";
            _flow.Entry(id, target is null ? null : _flow.Add($"jump_{Stem(flow)}", FlowBlocks.Jump, x, y, new JsonObject { ["target"] = target }));
        }
        var start = ImportJson.Text(main, "startNode") is { } startNode ? _flow.Resolve(Key(MainFlow, startNode)) : null;

        var knowledge = new BotpressQna(archive, _flow).Map();
        Notes(flows);
        var name = ImportJson.Text(archive.Config, "name") ?? ImportJson.Text(archive.Config, "id") ?? "";
        return _flow.Build(name, start, Platform) with { Knowledge = knowledge };
    }

    private void Notes(IReadOnlyList<string> flows)
    {
        var others = ImportJson.Array(archive.Config, "languages").Select(ImportJson.Text).OfType<string>().Where(l => l != archive.Language).ToList();
        if (others.Count > 0)
        {
            _flow.Note($"Only the bot's default language ({archive.Language}) is carried over; its texts in {string.Join(", ", others)} are not.");
        }
        if (_usedIntents || archive.Qna.Count > 0)
        {
            _flow.Note("Botpress's NLU (intents, entities, contexts) is not carried over: transitions on an intent are never taken, and Q&A questions are matched by the bot's knowledge search instead.");
        }
        foreach (var flow in flows.Where(f => ImportJson.Object(archive.Flows[f], "catchAll") is { } all
            && (ImportJson.Array(all, "next").Any() || ImportJson.Array(all, "onReceive").Any())))
        {
            _flow.Note($"The catch-all transitions and actions of {flow} (checked on every message in Botpress) are not carried over.");
        }
        if (_usedPlaceholders.Count > 0)
        {
            _flow.Note($"Parley cannot fill these Botpress expressions, so they are left empty: {string.Join(", ", _usedPlaceholders.Order(StringComparer.Ordinal).Take(10).Select(p => "{{" + p + "}}"))}.");
        }
        _flow.Note($"Imported from a Botpress bot archive (version {ImportJson.Text(archive.Config, "version") ?? "unknown"}). Custom actions, hooks, modules and the bot's NLU models are code or models of Botpress's own and are not carried over.");
    }

    private void MapFlow(string flow, JsonObject document, double dx)
    {
        var positions = archive.Positions[flow];
        var row = 0;
        foreach (var node in ImportJson.Array(document, "nodes").OfType<JsonObject>())
        {
            if (ImportJson.Text(node, "name") is not { } name)
            {
                continue;
            }
            var id = ImportJson.Text(node, "id") ?? name;
            var (x, y) = positions.TryGetValue(id, out var p) ? p : (0, row * Row * 3);
            row++;
            var place = new Place(flow, name, id, x + dx, y);
            if (ImportJson.Text(node, "type") == "skill-call")
            {
                MapSkill(place, node);
            }
            else
            {
                MapStandard(place, node);
            }
        }
    }

    /// <summary>One source node: its flow, name (what transitions name), id (what the canvas and report name) and where it goes.</summary>
    private sealed record Place(string Flow, string Name, string Id, double X, double Y)
    {
        public string Key => BotpressFlowMapper.Key(Flow, Name);

        public string Group => Stem(Flow);

        public string BlockId => Flow == MainFlow ? Name : $"{Stem(Flow)}_{Name}";
    }

    private static string Key(string flow, string node) => $"{flow}#{node}";

    private static string Stem(string flow) => flow.EndsWith(".flow.json", StringComparison.Ordinal) ? flow[..^".flow.json".Length] : flow;

    /// <summary>
    /// Botpress's <c>{{…}}</c> templates as Parley placeholders: <c>user.x</c>, <c>session.x</c>, <c>temp.x</c> and a slot
    /// become <c>{{x}}</c>, the visitor's message <c>{{last_message}}</c>; anything else is left for Parley to empty, and noted.
    /// </summary>
    private string Rewrite(string? text) => Placeholder().Replace(text ?? "", m =>
    {
        if (Variable(m.Groups[1].Value) is { } variable)
        {
            return "{{" + variable + "}}";
        }
        _usedPlaceholders.Add(m.Groups[1].Value);
        return m.Value;
    });

    [GeneratedRegex(@"^(?:(?:user|session|temp|bot)(?:\.slots)?(?:\.([A-Za-z_$][\w$]*)|\[\s*'([^']+)'\s*\]|\[\s*""([^""]+)""\s*\])(?:\.value)?|(event\.payload\.text|event\.preview))$")]
    private static partial Regex VariableExpression();

    /// <summary>The Parley variable a Botpress expression reads, or null when it is not a plain variable.</summary>
    internal static string? Variable(string expression)
    {
        var match = VariableExpression().Match(expression.Trim());
        if (!match.Success)
        {
            return null;
        }
        if (match.Groups[4].Success)
        {
            return MessageVariable;
        }
        var name = match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Success ? match.Groups[2].Value : match.Groups[3].Value;
        return ImportJson.VariableName(name);
    }
}
