namespace Parley.Server.Infrastructure.Errors;

/// <summary>A failure the caller can act on; becomes a problem+json response with its code and detail.</summary>
public sealed class ApiException(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    : Exception(detail)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IDictionary<string, string[]>? Errors { get; } = errors;

    /// <summary>Seconds the caller should wait before trying again, sent as <c>Retry-After</c>; null for none.</summary>
    public int? RetryAfterSeconds { get; init; }

    public static ApiException NotFound(string what, string id) =>
        new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"No {what} with id '{id}' exists in this workspace.");

    public static ApiException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, message, new Dictionary<string, string[]> { [field] = [message] });

    public static ApiException Invalid(IDictionary<string, string[]> errors) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequest, DescribeErrors(errors), errors);

    public static ApiException Conflict(string detail) => new(StatusCodes.Status409Conflict, ErrorCodes.Conflict, detail);

    private static string DescribeErrors(IDictionary<string, string[]> errors) =>
        errors.Count == 1 ? errors.First().Value.FirstOrDefault() ?? "The request is not valid."
        : $"The request has {errors.Count} invalid fields: {string.Join(", ", errors.Keys)}.";
}
