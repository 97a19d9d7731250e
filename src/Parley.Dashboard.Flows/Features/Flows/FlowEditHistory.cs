namespace Parley.Dashboard.Flows.Features.Flows;

/// <summary>
/// Undo and redo over whole snapshots of the flow document (its JSON): every recorded change, on the canvas or in a
/// settings form, is one step. Snapshots are small next to the 1 MB limit of a flow, and a full snapshot cannot drift
/// from the document the way a list of inverse operations can.
/// </summary>
public sealed class FlowEditHistory
{
    /// <summary>How many steps back undo reaches.</summary>
    public const int Depth = 100;

    private readonly LinkedList<string> _undo = new();
    private readonly Stack<string> _redo = new();
    private string _current = "";

    public bool CanUndo => _undo.Count > 0;

    public bool CanRedo => _redo.Count > 0;

    /// <summary>Starts over from a freshly loaded document: nothing to undo or redo.</summary>
    public void Reset(string snapshot)
    {
        _undo.Clear();
        _redo.Clear();
        _current = snapshot;
    }

    /// <summary>Records the document after a change; answers false when nothing changed since the last record.</summary>
    public bool Record(string snapshot)
    {
        if (snapshot == _current)
        {
            return false;
        }
        _undo.AddLast(_current);
        if (_undo.Count > Depth)
        {
            _undo.RemoveFirst();
        }
        _redo.Clear();
        _current = snapshot;
        return true;
    }

    /// <summary>The document before the last change, or null when there is nothing to undo.</summary>
    public string? Undo()
    {
        if (_undo.Last is not { } last)
        {
            return null;
        }
        _undo.RemoveLast();
        _redo.Push(_current);
        return _current = last.Value;
    }

    /// <summary>The document after the last undone change, or null when there is nothing to redo.</summary>
    public string? Redo()
    {
        if (!_redo.TryPop(out var next))
        {
            return null;
        }
        _undo.AddLast(_current);
        return _current = next;
    }
}
