using System.Text.Json;
using Microsoft.Playwright;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// axe-core, the accessibility engine, run inside the page as it is now (it follows the widget into its open shadow
/// root). The script comes from npm (<c>package.json</c> of this project, installed by test.sh with <c>npm ci</c>).
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Script = new(() =>
    {
        var path = RepositoryFiles.PathOf("tests/Parley.Browser.Tests/node_modules/axe-core/axe.min.js");
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{path} is missing: run `npm ci` in tests/Parley.Browser.Tests (test.sh does it).");
        }
        return File.ReadAllText(path);
    });

    /// <summary>The serious and critical violations on the page, one line each: rule, impact and the elements it found.</summary>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page)
    {
        // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'"))
        {
            await page.EvaluateAsync(Script.Value);
        }
        var violations = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => JSON.stringify(n.target) + ' ' + n.failureSummary).join(' | ')}`)
            """);
        return [.. violations.EnumerateArray().Select(v => v.GetString()!)];
    }

    public static async Task AssertNoSeriousViolationsAsync(IPage page, string? where = null)
    {
        var violations = await SeriousViolationsAsync(page);
        Assert.True(violations.Count == 0, $"axe-core found{(where is null ? "" : $" on {where}")}:\n" + string.Join("\n", violations));
    }
}
