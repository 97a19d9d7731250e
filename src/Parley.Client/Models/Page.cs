namespace Parley.Client.Models;

/// <summary>A page of a list: the items, whether more follow, and the cursor to pass as <c>after</c> for the next page.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore, string? NextCursor);

/// <summary>The body of a problem+json answer.</summary>
public sealed record Problem(
    int? Status = null, string? Code = null, string? Title = null, string? Detail = null, Dictionary<string, string[]>? Errors = null, string? RequestId = null);
