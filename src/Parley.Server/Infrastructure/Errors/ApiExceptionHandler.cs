using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Infrastructure.Errors;

/// <summary>Maps every exception that escapes a handler to a problem with a stable code; never a stack trace.</summary>
public sealed class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var http = httpContext;
        var (status, code, detail, errors) = Classify(exception);
        if (code == ErrorCodes.DatabaseUnavailable)
        {
            logger.LogWarning(exception, "The database is unreachable on {Method} {Path}", http.Request.Method, http.Request.Path);
        }
        else if (status >= 500)
        {
            logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        }
        var retryAfter = exception is ApiException api ? api.RetryAfterSeconds
            : code == ErrorCodes.DatabaseUnavailable ? DatabaseUnavailable.RetryAfterSeconds
            : null;
        if (retryAfter is { } seconds)
        {
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        await Problems.WriteAsync(http, status, code, detail, errors);
        return true;
    }

    private static (int Status, string Code, string Detail, IDictionary<string, string[]>? Errors) Classify(Exception exception) =>
        exception switch
        {
            ApiException api => (api.Status, api.Code, api.Message, api.Errors),
            TurnRejectedException turn => FromTurn(turn),
            BadHttpRequestException bad => FromBadRequest(bad),
            JsonException json => InvalidJson(json),
            // A JSON document (flow graphs, settings) is parsed before its strings are decoded; bad UTF-8 surfaces on reading one.
            InvalidOperationException { InnerException: DecoderFallbackException } =>
                (400, ErrorCodes.InvalidRequest, "The body is not valid UTF-8.", new Dictionary<string, string[]> { ["body"] = ["The body is not valid UTF-8."] }),
            PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire } or DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.CharacterNotInRepertoire } } =>
                (400, ErrorCodes.InvalidRequest, "The request contains a NUL character (\\u0000), which can be neither stored nor searched for.", null),
            DbUpdateException db when UniqueViolation.IsUniqueViolation(db) =>
                (409, ErrorCodes.Conflict, "The request conflicts with data that already exists.", null),
            _ when DatabaseUnavailable.Is(exception) =>
                (503, ErrorCodes.DatabaseUnavailable, "The database cannot be reached right now; nothing of this request was stored. Retry after the time in Retry-After.", null),
            OperationCanceledException => (499, ErrorCodes.InvalidRequest, "The request was cancelled by the client.", null),
            _ => (500, ErrorCodes.InternalError, "Something went wrong on our side. Retry later, and quote the request_id if it persists.", null),
        };

    private static (int, string, string, IDictionary<string, string[]>?) FromTurn(TurnRejectedException turn) => turn.Rejection switch
    {
        TurnRejection.InvalidRequest => (400, ErrorCodes.InvalidRequest, turn.Message, turn.Errors?.ToDictionary()),
        TurnRejection.NotFound => (404, ErrorCodes.NotFound, turn.Message, null),
        TurnRejection.Forbidden => (403, ErrorCodes.Forbidden, turn.Message, null),
        _ => (409, ErrorCodes.Conflict, turn.Message, null),
    };

    private static (int, string, string, IDictionary<string, string[]>?) FromBadRequest(BadHttpRequestException bad)
    {
        if (bad.InnerException is JsonException json)
        {
            return InvalidJson(json);
        }
        return bad.StatusCode switch
        {
            413 => (413, ErrorCodes.PayloadTooLarge, $"The request body is larger than the limit of {RequestLimits.MaxBodyBytes / 1024} KB.", null),
            415 => (415, ErrorCodes.UnsupportedMediaType, "Send the request body as JSON with Content-Type: application/json.", null),
            // The framework words a missing body in several ways; all of them name the body.
            _ when bad.Message.Contains("body", StringComparison.OrdinalIgnoreCase) =>
                (400, ErrorCodes.InvalidRequest, "A JSON request body is required.", new Dictionary<string, string[]> { ["body"] = ["A JSON request body is required."] }),
            _ => (400, ErrorCodes.InvalidRequest, "The request is not valid: check the path and query parameters.", QueryErrors(bad)),
        };
    }

    private static Dictionary<string, string[]>? QueryErrors(BadHttpRequestException bad)
    {
        // "Failed to bind parameter \"int limit\" from \"abc\"." names the parameter; surface it as the field.
        var message = bad.Message;
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (start < 0 || end < 0)
        {
            return null;
        }
        var parameter = JsonNamingPolicy.SnakeCaseLower.ConvertName(message[(start + 1)..end].Split(' ').Last());
        return new Dictionary<string, string[]> { [parameter] = ["This value has the wrong type or format."] };
    }

    private static (int, string, string, IDictionary<string, string[]>?) InvalidJson(JsonException json)
    {
        // Broken syntax comes from the reader, wrapped with the path; a wrong type is reported by a converter directly.
        if (json.InnerException is JsonException || json.GetType() != typeof(JsonException) || json.Path is null or "$")
        {
            var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
            var message = $"The body is not valid JSON or is not a JSON object{where}.";
            return (400, ErrorCodes.InvalidRequest, message, new Dictionary<string, string[]> { ["body"] = [message] });
        }
        var field = JsonPaths.ToField(json.Path);
        const string wrongType = "This value has the wrong type or format.";
        return (400, ErrorCodes.InvalidRequest, $"Field '{field}': {wrongType}", new Dictionary<string, string[]> { [field] = [wrongType] });
    }
}
