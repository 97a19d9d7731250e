using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Parley.Server.Infrastructure.Errors;

/// <summary>
/// Writes a problem when the framework's writer declines because the request accepts no JSON (an SSE client sends
/// <c>Accept: text/event-stream</c>): an error is still problem+json, never a 500 for want of a writer.
/// </summary>
public sealed class ProblemJsonFallbackWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        var problem = context.ProblemDetails;
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, problem.GetType(), jsonOptions.Value.SerializerOptions, "application/problem+json"));
    }
}
