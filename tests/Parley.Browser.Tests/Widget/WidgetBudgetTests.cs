using Parley.Server.Features.Widget;

namespace Parley.Browser.Tests.Widget;

public sealed class WidgetBudgetTests
{
    private const int BudgetBytes = 12 * 1024;

    [Fact]
    public void WidgetScript_Gzipped_AtMost12KB()
    {
        // What the server sends (Features/Widget/WidgetAsset.cs): the budget is what crosses the wire.
        var gzipped = WidgetAsset.Current.Gzip.Length;

        Assert.True(gzipped <= BudgetBytes, $"widget.js is {gzipped} bytes gzipped; the budget is {BudgetBytes}.");
    }

    [Fact]
    public void WidgetScript_Served_KeepsItsHeaderWithoutTheCommentLines()
    {
        var served = System.Text.Encoding.UTF8.GetString(WidgetAsset.Current.Script);

        Assert.StartsWith("/*! Parley chat widget.", served, StringComparison.Ordinal);
        Assert.DoesNotContain(served.Split('\n'), line => line.TrimStart().StartsWith("//", StringComparison.Ordinal));
        Assert.Contains("window.Parley = Object.freeze", served, StringComparison.Ordinal);
    }
}
