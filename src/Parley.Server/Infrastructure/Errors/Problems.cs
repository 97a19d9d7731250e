using Microsoft.AspNetCore.Mvc;

namespace Parley.Server.Infrastructure.Errors;

/// <summary>Builds problem+json bodies in Parley's shape (<c>type</c>, <c>title</c>, <c>status</c>, <c>code</c>, <c>detail</c>, <c>request_id</c>).</summary>
public static class Problems
{
    public const string TypeBase = "https://parley.dev/errors/";

    public static ProblemDetails Create(int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        var problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        problem.Status = status;
        problem.Type = TypeBase + code;
        problem.Title = ErrorCodes.TitleFor(code);
        problem.Detail = detail;
        problem.Extensions["code"] = code;
        return problem;
    }

    /// <summary>Writes a problem response through the registered <see cref="IProblemDetailsService"/>.</summary>
    public static async Task WriteAsync(HttpContext http, int status, string code, string detail, IDictionary<string, string[]>? errors = null)
    {
        http.Response.StatusCode = status;
        var service = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = Create(status, code, detail, errors) });
    }
}
