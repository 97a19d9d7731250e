namespace Parley.Client;

/// <summary>
/// A problem+json answer from the API: the HTTP status, the stable <see cref="Code"/> (such as <c>invalid_request</c>
/// or <c>forbidden</c>), the detail, and for <c>invalid_request</c> the messages per field.
/// </summary>
public sealed class ParleyApiException(int status, string code, string detail, IReadOnlyDictionary<string, string[]> errors, string? requestId)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
    public string? RequestId { get; } = requestId;

    /// <summary>The messages about one field (snake_case, as the API names it), or none.</summary>
    public string[] ErrorsFor(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];
}
