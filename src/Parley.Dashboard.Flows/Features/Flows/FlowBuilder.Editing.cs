using System.Text.Json.Nodes;
using Microsoft.JSInterop;

namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>The builder's editing comforts: undo and redo, copy and paste, and its keyboard shortcuts.</summary>
public partial class FlowBuilder
{
    // In the browser's storage rather than the page, so blocks copied from one bot's flow paste into another's.
    private const string ClipboardKey = "parley.flows.clipboard";

    private Task UndoAsync() => ReplaceDocumentAsync(_history.Undo(), "Undone.");

    private Task RedoAsync() => ReplaceDocumentAsync(_history.Redo(), "Redone.");

    private async Task ReplaceDocumentAsync(string? snapshot, string status)
    {
        if (snapshot is null || !_canWrite)
        {
            return;
        }
        var selected = _selected?.Id ?? _selectedNote?.Id;
        _document = FlowDocument.Parse(snapshot);
        _selected = selected is null ? null : _document.Block(selected);
        _selectedNote = selected is null ? null : _document.Note(selected);
        await DrawAsync(keepView: true);
        await _canvas!.InvokeVoidAsync("showErrors", _errors);
        SaveSoon();
        _status = status + " " + _status;
    }

    private async Task CopyAsync()
    {
        var ids = await _canvas!.InvokeAsync<string[]>("chosen");
        if (ids.Length == 0)
        {
            _status = "Select a block or note to copy (Shift+click picks more).";
            return;
        }
        var clip = FlowClipboard.Copy(_document, ids);
        await JS.InvokeVoidAsync("localStorage.setItem", ClipboardKey, clip.ToJsonString());
        _status = $"Copied {Things(ids)}.";
    }

    private async Task PasteAsync()
    {
        var stored = await JS.InvokeAsync<string?>("localStorage.getItem", ClipboardKey);
        if (!_canWrite || !_loaded || stored is null || JsonNode.Parse(stored) is not JsonObject clip)
        {
            _status = "Nothing to paste: copy blocks first.";
            return;
        }
        var pasted = FlowClipboard.Paste(_document, clip);
        await DrawAsync(keepView: true);
        await _canvas!.InvokeVoidAsync("showErrors", _errors);
        await _canvas!.InvokeVoidAsync("pick", pasted);
        _selected = null;
        Changed();
        _status = $"Pasted {Things(pasted)}. " + _status;
    }

    /// <summary>Deletes the selected block or note and those picked with it, once the user says yes; one undo step.</summary>
    private async Task DeleteChosenAsync()
    {
        if (!_canWrite || !_loaded)
        {
            return;
        }
        var ids = (await _canvas!.InvokeAsync<string[]>("chosen")).ToHashSet(StringComparer.Ordinal);
        if ((_selected?.Id ?? _selectedNote?.Id) is { } inPanel)
        {
            ids.Add(inPanel);
        }
        ids.RemoveWhere(id => _document.Block(id) is null && _document.Note(id) is null);
        if (ids.Count == 0)
        {
            return;
        }
        var confirmed = await Dialogs.ShowMessageBoxAsync("Delete from the flow?", FlowDeletion.Question(_document, ids), yesText: "Delete", cancelText: "Cancel");
        if (confirmed != true)
        {
            return;
        }
        foreach (var id in ids)
        {
            _document.Remove(id);
            await _canvas!.InvokeVoidAsync("removeBlock", id);
        }
        await _canvas!.InvokeVoidAsync("pick", Array.Empty<string>());
        _selected = null;
        _selectedNote = null;
        if (_document.Block(_document.Start ?? "") is { } start)
        {
            await RedrawAsync(start);
        }
        Changed();
    }

    private string Things(IReadOnlyCollection<string> ids)
    {
        var notes = ids.Count(id => _document.Note(id) is not null);
        return (ids.Count - notes, notes) switch
        {
            (var blocks, 0) => $"{blocks} block(s)",
            (0, var only) => $"{only} note(s)",
            (var blocks, var both) => $"{blocks} block(s) and {both} note(s)",
        };
    }

    [JSInvokable]
    public async Task OnShortcut(string shortcut, double[]? at)
    {
        switch (shortcut)
        {
            case "undo":
                await UndoAsync();
                break;
            case "redo":
                await RedoAsync();
                break;
            case "copy":
                await CopyAsync();
                break;
            case "paste":
                await PasteAsync();
                break;
            // Not before the draft is in: the palette's buttons are disabled until then, and there is nothing to add to.
            case "add" when _canWrite && _loaded:
                _addAt = at ?? await _canvas!.InvokeAsync<double[]>("centre");
                await _module!.InvokeVoidAsync("focusFirstButton", _palette);
                break;
            case "note" when _canWrite:
                await AddNoteAsync(at);
                break;
            case "delete":
                await DeleteChosenAsync();
                break;
            case "cancel":
                _addAt = null;
                break;
        }
        StateHasChanged();
    }
}
