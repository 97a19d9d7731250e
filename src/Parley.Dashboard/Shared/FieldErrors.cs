using Parley.Client;

namespace Parley.Dashboard.Shared;

/// <summary>The API's problem+json field errors, shown next to each field; anything else as one message.</summary>
public sealed class FieldErrors
{
    private IReadOnlyDictionary<string, string[]> _errors = new Dictionary<string, string[]>();

    public string? Message { get; private set; }

    public void Show(ParleyApiException error)
    {
        _errors = error.Errors;
        Message = error.Errors.Count == 0 ? error.Message : null;
    }

    public void Clear()
    {
        _errors = new Dictionary<string, string[]>();
        Message = null;
    }

    public bool Has(string field) => _errors.ContainsKey(field);

    public string? For(string field) => _errors.TryGetValue(field, out var messages) ? string.Join(" ", messages) : null;
}
