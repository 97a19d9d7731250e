using Parley.Client.Models;

namespace Parley.Dashboard.Operations.Features.Integrations;

/// <summary>Where the integration map's boxes go: three columns (bots, event types, targets), one row per box.</summary>
public sealed record MapLayout(
    IReadOnlyList<MapLayout.Node> Bots, IReadOnlyList<MapLayout.Node> EventTypes, IReadOnlyList<MapLayout.Node> Targets,
    IReadOnlyList<MapLayout.Edge> Hops, int Height)
{
    public const int Width = 960;
    public const int NodeWidth = 250;
    public const int BotX = 0;
    public const int EventX = 355;
    public const int TargetX = Width - NodeWidth;
    private const int RowHeight = 52;

    public sealed record Node(string Key, string Label, int X, int Y);

    public sealed record Edge(IntegrationHop Hop, int FromY, int ToY);

    public static MapLayout Of(IntegrationHealthResponse health)
    {
        var bots = Column(health.Bots.Select(b => (b.Id, b.Name)), BotX);
        var types = Column(health.Hops.Select(h => (h.EventType, h.EventType == "*" ? "all events" : h.EventType)).Distinct(), EventX);
        var targets = Column(health.Hops.Select(h => (h.TargetId, h.Target)).DistinctBy(t => t.Item1), TargetX);
        var hops = health.Hops.Select(h => new Edge(
            h, types.First(t => t.Key == h.EventType).Y + 18, targets.First(t => t.Key == h.TargetId).Y + 18)).ToList();
        var rows = Math.Max(bots.Count, Math.Max(types.Count, targets.Count));
        return new MapLayout(bots, types, targets, hops, Math.Max(1, rows) * RowHeight);
    }

    public static string Abbreviate(string label) => label.Length <= 32 ? label : label[..31] + "…";

    private static List<Node> Column(IEnumerable<(string Key, string Label)> items, int x) =>
        [.. items.Select((item, row) => new Node(item.Key, item.Label, x, row * RowHeight + 8))];
}
