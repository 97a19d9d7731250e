using System.Text.RegularExpressions;
using Parley.Engine.Events;
using Parley.Server.Tests.Contract;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Docs;

/// <summary>The event table of docs/webhooks.md lists exactly the events the server raises.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed partial class WebhookEventDocTests
{
    [Fact]
    public void WebhooksDoc_EventTable_EveryTypeIsOneTheServerRaises()
    {
        var raised = RaisedTypes();

        var unknown = DocumentedTypes().Where(t => !raised.Contains(t)).ToList();

        Assert.True(unknown.Count == 0, "docs/webhooks.md lists events no code raises: " + string.Join(", ", unknown));
    }

    [Fact]
    public void WebhooksDoc_EventTable_ListsEveryTypeAnEndpointCanSubscribeTo()
    {
        var documented = DocumentedTypes();

        var missing = EventTypes.All.Where(t => !documented.Contains(t)).ToList();

        Assert.True(missing.Count == 0, "docs/webhooks.md does not describe: " + string.Join(", ", missing));
    }

    // The types of the "Events" table: the backticked names in its first column (`lead.captured`, `lead.updated`).
    private static HashSet<string> DocumentedTypes()
    {
        var text = DocPages.Read("docs/webhooks.md");
        var table = text[text.IndexOf("\n## Events", StringComparison.Ordinal)..];
        table = table[..table.IndexOf("\n\n", table.IndexOf("| type", StringComparison.Ordinal), StringComparison.Ordinal)];
        return table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(l => EventName().Matches(l.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    // A type the server can raise: one of EventTypes whose constant some code outside EventTypes.cs uses.
    private static HashSet<string> RaisedTypes()
    {
        var source = string.Join('\n', Directory.GetFiles(RepositoryFiles.PathOf("src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "EventTypes.cs" && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        return typeof(EventTypes).GetFields()
            .Where(f => f.IsLiteral && Regex.IsMatch(source, $@"\bEventTypes\.{f.Name}\b"))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
    }

    [GeneratedRegex(@"`([a-z_]+\.[a-z_]+)`")]
    private static partial Regex EventName();
}
