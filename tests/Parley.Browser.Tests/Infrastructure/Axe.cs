using System.Text.Json;
using Microsoft.Playwright;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>Runs axe-core (npm, installed by test.sh) in a page and fails on serious or critical violations.</summary>
public static class Axe
{
    public static async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var script = RepositoryFiles.PathOf("tests/Parley.Browser.Tests/node_modules/axe-core/axe.min.js");
        Assert.True(File.Exists(script), "axe-core is missing: run `npm install` in tests/Parley.Browser.Tests (test.sh does).");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = script });
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
                .filter(v => v.impact === 'serious' || v.impact === 'critical')
                .map(v => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)
            """);
        var found = violations.EnumerateArray().Select(v => v.GetString()).ToList();
        Assert.True(found.Count == 0, $"Accessibility violations on {where}:\n" + string.Join("\n", found));
    }
}
