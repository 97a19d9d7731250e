using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.ApiKeys;

public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeys(this IEndpointRouteBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys");
        keys.MapPost("/", CreateKey).RequireScope(Scopes.ApiKeysWrite)
            .WithName("CreateApiKey")
            .WithSummary("Create an API key")
            .WithDescription("Creates a secret key (`sk_…`, shown once in `secret`, stored only as a hash) or a publishable key (`pk_…`, for the widget, bound to a bot and to allowed origins). A key can only grant scopes its creator holds.");
        keys.MapGet("/", ListKeys).RequireScope(Scopes.ApiKeysRead)
            .WithName("ListApiKeys").WithSummary("List API keys");
        keys.MapDelete("/{id}", RevokeKey).RequireScope(Scopes.ApiKeysWrite)
            .WithName("RevokeApiKey").WithSummary("Revoke an API key")
            .WithDescription("Revokes the key at once; requests with it get 401 `invalid_api_key`. The key stays listed with `revoked_at`.");
        return api;
    }

    public static async Task<Created<ApiKeyResponse>> CreateKey(CreateApiKeyRequest request, ApiKeyService keys, CancellationToken cancellationToken)
    {
        var key = await keys.CreateAsync(request, cancellationToken);
        return TypedResults.Created(ApiKeyService.Location(key.Id), key);
    }

    public static Task<CursorPage<ApiKeyResponse>> ListKeys(ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken) =>
        Paging.NewestFirstAsync(db.ApiKeys.AsNoTracking(), limit, after, k => ApiKeyResponse.From(k), cancellationToken);

    public static async Task<Ok<ApiKeyResponse>> RevokeKey(string id, ApiKeyService keys, CancellationToken cancellationToken) =>
        TypedResults.Ok(await keys.RevokeAsync(id, cancellationToken));

    /// <summary>API keys: creating and revoking them.</summary>
    public static IServiceCollection AddApiKeys(this IServiceCollection services) => services.AddScoped<ApiKeyService>();
}
