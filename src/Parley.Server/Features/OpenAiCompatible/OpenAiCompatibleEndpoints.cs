using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.RateLimiting;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// The OpenAI Chat Completions protocol in front of the turn pipeline (docs/openai-compatible.md): an OpenAI SDK
/// configured with <c>baseURL = https://host/v1/openai</c> and a Parley secret key talks to the workspace's bots.
/// </summary>
public static class OpenAiCompatibleEndpoints
{
    public const string BasePath = "/v1/openai";
    private const string ModelObject = "model";

    /// <summary>True for requests this surface answers, whose errors are in the protocol's shape.</summary>
    public static bool Serves(HttpRequest request) => request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase);

    public static IEndpointRouteBuilder MapOpenAiCompatible(this IEndpointRouteBuilder app)
    {
        var openAi = app.MapGroup(BasePath).WithTags("OpenAI-compatible").RequireRateLimiting(CallerRateLimitPolicy.Name).WithOpenAiErrors();
        openAi.MapPost("/chat/completions", CreateChatCompletion).RequireScope(Scopes.ConversationsWrite)
            .WithName("CreateChatCompletion").WithSummary("Talk to a bot through the OpenAI Chat Completions protocol")
            .WithDescription("`model` is a bot id; the last message is the visitor's, and it runs the turn pipeline as `POST /v1/conversations/{id}/messages` does. "
                + "The conversation is the one named by the `X-Parley-Conversation` header, else the latest open one of the contact whose `external_id` is `user`, else a new one; "
                + "every answer carries its id in `X-Parley-Conversation` and `parley.conversation_id`. Earlier messages the conversation already holds are recognised and not stored again; "
                + "a request whose messages the conversation all holds is answered from the transcript. "
                + "With `stream: true` the answer is server-sent `chat.completion.chunk` events ending with `data: [DONE]`. "
                + "Errors are `{\"error\": {\"message\", \"type\", \"param\", \"code\"}}`, with `Retry-After` on 429 and 503.")
            .WithChatCompletionStream();
        openAi.MapGet("/models", ListModels).RequireScope(Scopes.BotsRead)
            .WithName("ListOpenAiModels").WithSummary("List the workspace's bots as models")
            .WithDescription("Each bot is a model: `id` is the bot id, `name` the bot's name.");
        openAi.MapGet("/models/{model}", GetModel).RequireScope(Scopes.BotsRead)
            .WithName("GetOpenAiModel").WithSummary("Get a bot as a model");
        return app;
    }

    public static Task<Results<ServerSentEventsResult<string>, Ok<ChatCompletion>>> CreateChatCompletion(
        ChatCompletionRequest request, ChatCompletionService completions, HttpContext http, CancellationToken cancellationToken) =>
        completions.CompleteAsync(request, http, cancellationToken);

    public static async Task<Ok<OpenAiModelList>> ListModels(ParleyDbContext db, CancellationToken cancellationToken)
    {
        var bots = await db.Bots.AsNoTracking().OrderBy(b => b.Id).Select(b => new { b.Id, b.Name, b.CreatedAt }).ToListAsync(cancellationToken);
        return TypedResults.Ok(new OpenAiModelList("list", [.. bots.Select(b => Model(b.Id, b.Name, b.CreatedAt))]));
    }

    public static async Task<Ok<OpenAiModel>> GetModel(string model, ChatCompletionService completions, CancellationToken cancellationToken)
    {
        var bot = await completions.FindBotAsync(model, cancellationToken);
        return TypedResults.Ok(Model(bot.Id, bot.Name, bot.CreatedAt));
    }

    private static OpenAiModel Model(string id, string name, DateTimeOffset created) => new(id, ModelObject, created.ToUnixTimeSeconds(), "parley", name);
}
