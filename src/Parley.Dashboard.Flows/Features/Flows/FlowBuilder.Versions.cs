using Microsoft.JSInterop;
using Parley.Client;

namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>Comparing versions: a version with the draft (marked on the canvas), or a version with the one before.</summary>
public partial class FlowBuilder
{
    private (string Title, FlowDiff Diff)? _comparison;

    private async Task CompareWithDraftAsync(int number)
    {
        var version = FlowDocument.Parse((await Client.GetFlowVersionAsync(_botId!, number)).Flow);
        var diff = FlowDiff.Between(version, _document);
        _comparison = ($"From version {number} to the draft", diff);
        await _canvas!.InvokeVoidAsync("showDiff", new CanvasDiff(diff.Added, [.. diff.Changed.Select(c => c.Id)]));
    }

    private async Task CompareWithPreviousAsync(int number)
    {
        var before = FlowDocument.Parse((await Client.GetFlowVersionAsync(_botId!, number - 1)).Flow);
        var after = FlowDocument.Parse((await Client.GetFlowVersionAsync(_botId!, number)).Flow);
        _comparison = ($"From version {number - 1} to version {number}", FlowDiff.Between(before, after));
        await _canvas!.InvokeVoidAsync("showDiff", new CanvasDiff([], []));
    }

    private async Task CloseComparisonAsync()
    {
        _comparison = null;
        await _canvas!.InvokeVoidAsync("showDiff", new CanvasDiff([], []));
    }
}
