using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Features.Bots;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Outbound;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.ModelProviders;

public static class ModelProviderEndpoints
{
    private static readonly string[] Kinds = [ModelProvider.OpenAi, ModelProvider.Anthropic];

    public static IEndpointRouteBuilder MapModelProviders(this IEndpointRouteBuilder api)
    {
        var providers = api.MapGroup("/model-providers").WithTags("Model providers");
        providers.MapPost("/", Create).RequireScope(Scopes.ModelProvidersWrite)
            .WithName("CreateModelProvider").WithSummary("Connect a model provider")
            .WithDescription("`kind` is `openai` (any OpenAI-compatible endpoint) or `anthropic`. The API key is stored encrypted and never returned; bots use the connection by its id in `model.provider`.");
        providers.MapGet("/", List).RequireScope(Scopes.ModelProvidersRead)
            .WithName("ListModelProviders").WithSummary("List model provider connections");
        providers.MapGet("/{id}", Get).RequireScope(Scopes.ModelProvidersRead)
            .WithName("GetModelProvider").WithSummary("Get a model provider connection");
        providers.MapPatch("/{id}", Update).RequireScope(Scopes.ModelProvidersWrite)
            .WithName("UpdateModelProvider").WithSummary("Update a model provider connection")
            .WithDescription("Fields left out or null stay unchanged; an empty string clears `base_url`, `api_key` or `default_model`. `kind` cannot change.");
        providers.MapDelete("/{id}", Delete).RequireScope(Scopes.ModelProvidersWrite)
            .WithName("DeleteModelProvider").WithSummary("Delete a model provider connection")
            .WithDescription("Refused with 409 while a bot uses the connection as its provider or fallback.");
        providers.MapPost("/{id}/test", ModelProviderTest.Run).RequireScope(Scopes.ModelProvidersWrite)
            .WithName("TestModelProvider").WithSummary("Test a model provider connection")
            .WithDescription("Asks the provider one short question with the stored key and `model` (or the connection's `default_model`) and returns its reply, or the error it gave, with the time taken. A provider that fails is reported with `succeeded: false`, not as an error of this call.");
        return api;
    }

    public static async Task<Created<ModelProviderResponse>> Create(
        CreateModelProviderRequest request, ParleyDbContext db, WorkspaceScope workspace, ModelProviderSecrets secrets,
        IdempotencyScope idempotency, IOptionsMonitor<NetworkOptions> network, IdGenerator ids, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var name = Text(errors, "name", request.Name, 100, required: true);
        if (request.Kind is null || !Kinds.Contains(request.Kind))
        {
            errors["kind"] = [$"kind is required and must be one of {string.Join(", ", Kinds)}."];
        }
        var baseUrl = BaseUrl(errors, request.BaseUrl, network.CurrentValue.AllowPrivateTargets);
        var apiKey = Text(errors, "api_key", request.ApiKey, 1000);
        var defaultModel = Text(errors, "default_model", request.DefaultModel, 200);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        var now = time.GetUtcNow();
        var provider = new ModelProvider
        {
            Id = ids.New(IdPrefix.ModelProvider),
            WorkspaceId = workspace.WorkspaceId!,
            Name = name!,
            Kind = request.Kind!,
            BaseUrl = baseUrl,
            DefaultModel = Blank(defaultModel),
            CreatedAt = now,
            UpdatedAt = now,
        };
        SetKey(provider, secrets, apiKey);
        db.ModelProviders.Add(provider);
        var response = ModelProviderResponse.From(provider);
        var location = $"/v1/model-providers/{provider.Id}";
        await idempotency.SaveChangesAsync(201, () => response, cancellationToken, location);
        return TypedResults.Created(location, response);
    }

    public static Task<CursorPage<ModelProviderResponse>> List(ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken) =>
        Paging.NewestFirstAsync(db.ModelProviders.AsNoTracking(), limit, after, ModelProviderResponse.From, cancellationToken);

    public static async Task<Ok<ModelProviderResponse>> Get(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var provider = await db.ModelProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("model provider", id);
        return TypedResults.Ok(ModelProviderResponse.From(provider));
    }

    public static async Task<Ok<ModelProviderResponse>> Update(
        string id, UpdateModelProviderRequest request, ParleyDbContext db, ModelProviderSecrets secrets,
        IOptionsMonitor<NetworkOptions> network, TimeProvider time, CancellationToken cancellationToken)
    {
        var provider = await db.ModelProviders.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("model provider", id);
        var errors = new Dictionary<string, string[]>();
        var name = request.Name is null ? null : Text(errors, "name", request.Name, 100, required: true);
        var baseUrl = request.BaseUrl is null ? null : BaseUrl(errors, request.BaseUrl, network.CurrentValue.AllowPrivateTargets);
        var apiKey = Text(errors, "api_key", request.ApiKey, 1000);
        var defaultModel = Text(errors, "default_model", request.DefaultModel, 200);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        if (name is not null)
        {
            provider.Name = name;
        }
        if (request.BaseUrl is not null)
        {
            provider.BaseUrl = baseUrl;
        }
        if (apiKey is not null)
        {
            SetKey(provider, secrets, apiKey);
        }
        if (defaultModel is not null)
        {
            provider.DefaultModel = Blank(defaultModel);
        }
        provider.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(ModelProviderResponse.From(provider));
    }

    public static async Task<Ok<DeletedResponse>> Delete(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var provider = await db.ModelProviders.FirstOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("model provider", id);
        var user = await db.Bots.Where(b => b.Model.Provider == id || b.Model.FallbackProvider == id)
            .Select(b => b.Id).FirstOrDefaultAsync(cancellationToken);
        if (user is not null)
        {
            throw ApiException.Conflict($"Bot '{user}' uses this model provider; point the bot elsewhere first.");
        }
        db.ModelProviders.Remove(provider);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DeletedResponse(id, true));
    }

    private static void SetKey(ModelProvider provider, ModelProviderSecrets secrets, string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            provider.ApiKeyProtected = null;
            provider.ApiKeyHint = null;
            return;
        }
        provider.ApiKeyProtected = secrets.Protect(apiKey);
        provider.ApiKeyHint = ModelProviderSecrets.Hint(apiKey);
    }

    private static string? BaseUrl(Dictionary<string, string[]> errors, string? value, bool allowPrivate)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }
        if (OutboundAddressPolicy.Problem(value, allowPrivate) is { } problem)
        {
            errors["base_url"] = [$"base_url {problem}."];
        }
        return value.TrimEnd('/');
    }

    private static string? Text(Dictionary<string, string[]> errors, string field, string? value, int max, bool required = false)
    {
        if (value is null)
        {
            if (required)
            {
                errors[field] = [$"{field} is required."];
            }
            return null;
        }
        var trimmed = value.Trim();
        if (required && trimmed.Length == 0)
        {
            errors[field] = [$"{field} must not be empty."];
        }
        else if (trimmed.Length > max)
        {
            errors[field] = [$"{field} may be at most {max} characters; it has {trimmed.Length}."];
        }
        return trimmed;
    }

    private static string? Blank(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
