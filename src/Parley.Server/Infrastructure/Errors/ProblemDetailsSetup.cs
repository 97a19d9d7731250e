using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.AspNetCore.Mvc;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Infrastructure.Errors;

public static class ProblemDetailsSetup
{
    /// <summary>Every error response, from a handler, the framework or an exception, is problem+json with a code.</summary>
    public static IServiceCollection AddApiProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = Complete);
        services.AddSingleton<IProblemDetailsWriter, ProblemJsonFallbackWriter>(); // after the framework's writer, which goes first
        services.AddExceptionHandler<ApiExceptionHandler>();
        return services;
    }

    private static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        problem.Status = status;
        if (!problem.Extensions.TryGetValue("code", out var code) || code is not string)
        {
            var fallback = ErrorCodes.ForStatus(status);
            problem.Extensions["code"] = fallback;
            problem.Type = Problems.TypeBase + fallback;
            problem.Title = ErrorCodes.TitleFor(fallback);
            problem.Detail ??= DefaultDetail(context.HttpContext, status);
        }
        problem.Instance = null;
        problem.Extensions["request_id"] = RequestIds.Of(context.HttpContext);
    }

    private static string DefaultDetail(HttpContext http, int status) => status switch
    {
        404 => $"There is no resource at {http.Request.Method} {http.Request.Path}.",
        405 => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
        415 => "Send the request body as JSON with Content-Type: application/json.",
        _ => ReasonPhrases.GetReasonPhrase(status),
    };
}
