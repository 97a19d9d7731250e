using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Server.Infrastructure.Errors;
using Polly.CircuitBreaker;

namespace Parley.Server.Features.ModelProviders;

/// <summary>
/// "Test connection": one short question to the provider with its stored key, through the same client and
/// resilience pipeline bots use. What the provider answers, or why it did not, is the response: a failing provider is
/// a result of the test, not an error of this API.
/// </summary>
public static class ModelProviderTest
{
    public const string Question = "Reply with the single word: ready";
    private const int MaxTokens = 16;
    private const int MaxErrorLength = 500;

    public static async Task<Ok<ModelProviderTestResponse>> Run(
        string id, TestModelProviderRequest? request, ParleyDbContext db, ModelProviderClients clients, IOptions<ModelOptions> options,
        CancellationToken cancellationToken)
    {
        var provider = await db.ModelProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("model provider", id);
        var model = string.IsNullOrWhiteSpace(request?.Model) ? provider.DefaultModel : request.Model.Trim();
        if (model is null)
        {
            throw ApiException.Invalid("model", "This connection has no default model: name the model to try.");
        }
        if (model.Length > 200)
        {
            throw ApiException.Invalid("model", $"model may be at most 200 characters; it has {model.Length}.");
        }

        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.CallTimeout);
        try
        {
            var chat = clients.ChatClient(provider, model, MaxTokens);
            var response = await chat.GetResponseAsync(
                [new ChatMessage(ChatRole.User, Question)], new ChatOptions { ModelId = model, MaxOutputTokens = MaxTokens }, timeout.Token);
            return TypedResults.Ok(new ModelProviderTestResponse(true, model, response.Text, null, Elapsed(clock)));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return TypedResults.Ok(new ModelProviderTestResponse(false, model, null, Describe(ex, options.Value), Elapsed(clock)));
        }
    }

    private static string Describe(Exception ex, ModelOptions options)
    {
        var text = ex switch
        {
            OperationCanceledException or TimeoutException or Polly.Timeout.TimeoutRejectedException =>
                $"The provider did not answer within {options.AttemptTimeout.TotalSeconds:0.#} s.",
            BrokenCircuitException => "Parley stopped calling this provider for a while after repeated failures; try again shortly.",
            _ => ex.Message,
        };
        return text.Length <= MaxErrorLength ? text : string.Concat(text.AsSpan(0, MaxErrorLength - 1), "…");
    }

    private static double Elapsed(Stopwatch clock) => Math.Round(clock.Elapsed.TotalMilliseconds, 1);
}
