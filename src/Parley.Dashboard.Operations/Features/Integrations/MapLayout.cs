using Parley.Client.Models;

namespace Parley.Dashboard.Operations.Features.Integrations;

/// <summary>
/// Where the integration map's boxes go: three columns (bots; event types, then the model providers the bots answer
/// with; targets), one row per box. Event hops go from the middle column to the targets, model hops from a bot to its
/// provider.
/// </summary>
public sealed record MapLayout(
    IReadOnlyList<MapLayout.Node> Bots, IReadOnlyList<MapLayout.Node> EventTypes, IReadOnlyList<MapLayout.Node> Providers,
    IReadOnlyList<MapLayout.Node> Targets, IReadOnlyList<MapLayout.Edge> Hops, int Height)
{
    public const int Width = 960;
    public const int NodeWidth = 250;
    public const int BotX = 0;
    public const int EventX = 355;
    public const int TargetX = Width - NodeWidth;
    public const string ModelKind = "model";
    private const int RowHeight = 52;
    private const int Middle = 18;

    public sealed record Node(string Key, string Label, int X, int Y);

    public sealed record Edge(IntegrationHop Hop, int FromX, int FromY, int ToX, int ToY);

    public static MapLayout Of(IntegrationHealthResponse health)
    {
        var eventHops = health.Hops.Where(h => h.Kind != ModelKind).ToList();
        var modelHops = health.Hops.Where(h => h.Kind == ModelKind && h.BotId is not null).ToList();
        var bots = Column(health.Bots.Select(b => (b.Id, b.Name)), BotX, 0);
        var types = Column(eventHops.Select(h => (h.EventType, h.EventType == "*" ? "all events" : h.EventType)).Distinct(), EventX, 0);
        var providers = Column(modelHops.Select(h => (h.TargetId, "Model: " + h.Target)).DistinctBy(p => p.Item1), EventX, types.Count);
        var targets = Column(eventHops.Select(h => (h.TargetId, h.Target)).DistinctBy(t => t.Item1), TargetX, 0);
        var edges = eventHops.Select(h => new Edge(
                h, EventX + NodeWidth, types.First(t => t.Key == h.EventType).Y + Middle, TargetX, targets.First(t => t.Key == h.TargetId).Y + Middle))
            .Concat(modelHops.Where(h => bots.Any(b => b.Key == h.BotId)).Select(h => new Edge(
                h, BotX + NodeWidth, bots.First(b => b.Key == h.BotId).Y + Middle, EventX, providers.First(p => p.Key == h.TargetId).Y + Middle)))
            .ToList();
        var rows = Math.Max(bots.Count, Math.Max(types.Count + providers.Count, targets.Count));
        return new MapLayout(bots, types, providers, targets, edges, Math.Max(1, rows) * RowHeight);
    }

    public static string Abbreviate(string label) => label.Length <= 32 ? label : label[..31] + "…";

    private static List<Node> Column(IEnumerable<(string Key, string Label)> items, int x, int firstRow) =>
        [.. items.Select((item, row) => new Node(item.Key, item.Label, x, (firstRow + row) * RowHeight + 8))];
}
