using System.IO.Compression;
using Parley.Browser.Tests.Infrastructure;

namespace Parley.Browser.Tests.Widget;

public sealed class WidgetBudgetTests
{
    private const int BudgetBytes = 12 * 1024;

    [Fact]
    public void WidgetScript_Gzipped_AtMost12KB()
    {
        var script = File.ReadAllBytes(RepositoryFiles.PathOf("src/Parley.Server/wwwroot/widget.js"));
        using var output = new MemoryStream();
        // The level the server sends it at (Features/Widget/WidgetAsset.cs): the budget is what crosses the wire.
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(script);
        }
        Assert.True(output.Length <= BudgetBytes, $"widget.js is {output.Length} bytes gzipped; the budget is {BudgetBytes}.");
    }
}
