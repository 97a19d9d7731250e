using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.OpenApi;

namespace Parley.Server.Features.OpenAiCompatible;

public static class OpenAiCompatibleSetup
{
    /// <summary>The OpenAI-compatible surface: its services, and its error writer ahead of the problem+json writers.</summary>
    public static IServiceCollection AddOpenAiCompatible(this IServiceCollection services)
    {
        // The problem details service asks its writers in registration order; this one must be asked first.
        services.Insert(0, ServiceDescriptor.Singleton<IProblemDetailsWriter, OpenAiErrorWriter>());
        services.AddScoped<OpenAiConversations>();
        services.AddScoped<OpenAiTurnRunner>();
        services.AddScoped<ChatCompletionService>();
        return services;
    }

    /// <summary>Declares the errors every endpoint of this surface can give, in the protocol's shape.</summary>
    internal static TBuilder WithOpenAiErrors<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in new[] { 400, 401, 403, 404, 409, 413, 415, 429, 500, 503 })
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(OpenAiErrorResponse), ["application/json"]));
        }
        return builder;
    }

    /// <summary>Documents the stream beside the JSON answer of the 200 response.</summary>
    internal static RouteHandlerBuilder WithChatCompletionStream(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue("200", out var ok) == true && ok.Content is { } content)
            {
                content["text/event-stream"] = new OpenApiMediaType
                {
                    Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.String,
                        Description = "With `stream: true`: server-sent events, each `data:` a ChatCompletionChunk, the last one `data: [DONE]`.",
                    },
                };
            }
            return Task.CompletedTask;
        });
}
