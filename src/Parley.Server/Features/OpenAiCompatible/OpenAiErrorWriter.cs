using Microsoft.AspNetCore.Http.Json;
using ProblemDetails = Microsoft.AspNetCore.Mvc.ProblemDetails;
using HttpValidationProblemDetails = Microsoft.AspNetCore.Http.HttpValidationProblemDetails;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// Writes every error under <see cref="OpenAiCompatibleEndpoints.BasePath"/> in the protocol's error shape instead of
/// problem+json, whoever raises it (authentication, the rate limiter, the exception handler, routing), because OpenAI
/// clients read <c>error.message</c> and <c>error.code</c>. Status codes, <c>Retry-After</c> and
/// <c>X-Request-Id</c> are as on the rest of the API; the rest of the API keeps problem+json.
/// </summary>
public sealed class OpenAiErrorWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => OpenAiCompatibleEndpoints.Serves(context.HttpContext.Request);

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        // Fills in the code and detail of problems the framework raised (404, 405) as for the rest of the API.
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var error = From(context.ProblemDetails, context.HttpContext.Response.StatusCode);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            new OpenAiErrorResponse(error), jsonOptions.Value.SerializerOptions, "application/json"));
    }

    internal static OpenAiError From(ProblemDetails problem, int responseStatus)
    {
        var status = problem.Status ?? responseStatus;
        var code = problem.Extensions.TryGetValue("code", out var value) && value is string c ? c : ErrorCodes.ForStatus(status);
        var param = problem is HttpValidationProblemDetails { Errors.Count: > 0 } invalid ? invalid.Errors.Keys.First() : null;
        return new OpenAiError(problem.Detail ?? problem.Title ?? "The request failed.", TypeOf(status, code), param, code);
    }

    internal static string TypeOf(int status, string code) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 when code == ErrorCodes.QuotaExceeded => "insufficient_quota",
        429 => "rate_limit_error",
        503 => "service_unavailable",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };
}
