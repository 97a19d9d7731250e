using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Parley.Engine.Turns;
using Scalar.AspNetCore;

namespace Parley.Server.Infrastructure.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentName = "v1";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        services.AddOpenApi(DocumentName, options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Parley API",
                    Version = "v1",
                    Description = "The complete API of Parley, the open, self-hosted chatbot platform. "
                        + "Authenticate with `Authorization: Bearer sk_…`. Bodies are JSON in snake_case; errors are "
                        + "RFC 9457 problem+json with a stable `code`; every POST honours `Idempotency-Key`.",
                };
                document.Servers?.Clear();
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A secret key (`sk_…`), a publishable key (`pk_…`, widget sessions only) or a widget session token (`wst_…`).",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                AllowAnyJsonForOptionalJsonMembers(document);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                if (context.JsonTypeInfo.Type == typeof(StageTimings))
                {
                    DescribeStageTimings(schema);
                }
                else if (context.JsonTypeInfo.Type == typeof(ProblemDetails) || context.JsonTypeInfo.Type == typeof(HttpValidationProblemDetails))
                {
                    DescribeProblem(schema);
                }
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// A <c>JsonElement?</c> member (bot settings such as <c>guardrails</c>) holds any JSON value or null. The generator
    /// writes it as <c>oneOf: [null, JsonElement]</c>, but JsonElement is the empty schema, which null matches too, so
    /// no null value could ever match exactly one: the member becomes the empty schema, which says "any JSON".
    /// </summary>
    private static void AllowAnyJsonForOptionalJsonMembers(OpenApiDocument document)
    {
        foreach (var schema in document.Components?.Schemas?.Values.OfType<OpenApiSchema>() ?? [])
        {
            foreach (var (name, property) in schema.Properties?.ToList() ?? [])
            {
                if (property is OpenApiSchema { OneOf: { Count: 2 } choices }
                    && choices.Any(c => c is OpenApiSchemaReference { Reference.Id: "JsonElement" })
                    && choices.Any(c => c.Type == JsonSchemaType.Null))
                {
                    schema.Properties![name] = new OpenApiSchema();
                }
            }
        }
    }

    private static void DescribeStageTimings(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = "Milliseconds spent in each stage of the turn pipeline.";
        schema.Properties = TurnStageNames.All.ToDictionary(
            s => s.WireName(), IOpenApiSchema (_) => new OpenApiSchema { Type = JsonSchemaType.Number, Format = "double" });
    }

    private static void DescribeProblem(OpenApiSchema schema)
    {
        schema.Description = "An RFC 9457 problem. `code` is stable and meant for programs; `detail` says what to fix.";
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        schema.Properties["code"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "Stable machine code: invalid_request, missing_api_key, invalid_api_key, forbidden, origin_not_allowed, not_found, "
                + "method_not_allowed, conflict, payload_too_large, unsupported_media_type, invalid_archive, invalid_flow, rate_limited, quota_exceeded, provider_unavailable, database_unavailable, node_stopping, internal_error.",
        };
        schema.Properties["request_id"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The id of the request (also in X-Request-Id)." };
        schema.Properties["errors"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Object | JsonSchemaType.Null,
            Description = "For invalid_request: field name to messages; for invalid_flow: block id (or `flow`) to messages.",
            AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
        };
    }

    /// <summary>Declares the problem responses every API endpoint can give.</summary>
    public static TBuilder WithProblemResponses<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in new[] { 400, 401, 403, 404, 409, 413, 415, 429, 500 })
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
        return builder;
    }

    public static WebApplication MapApiDocument(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        // A self-hosted reference: no buttons for Scalar's hosted services (AI chat, SDK generation, deployment, MCP),
        // no telemetry to them, and the fonts served from nowhere but the visitor's own system.
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Parley API reference")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .DisableAgent()
            .DisableMcp()
            .HideDeveloperTools()
            .DisableTelemetry()
            .DisableDefaultFonts());
        return app;
    }
}
