using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Engine.Keys;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
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

    public static async Task<Created<ApiKeyResponse>> CreateKey(
        CreateApiKeyRequest request, ParleyDbContext db, WorkspaceScope workspace, Caller caller, IdempotencyScope idempotency,
        IdGenerator ids, TimeProvider time, AuditLog audit, CancellationToken cancellationToken)
    {
        var kind = request.Kind ?? ApiKeyKind.Secret;
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            errors["name"] = ["A name of 1 to 100 characters is required, so you can tell keys apart."];
        }
        var scopes = (request.Scopes ?? []).Distinct().ToList();
        var origins = new List<string>();
        if (kind == ApiKeyKind.Secret)
        {
            if (scopes.Except(Scopes.All).ToList() is { Count: > 0 } unknown)
            {
                errors["scopes"] = [$"Unknown scopes: {string.Join(", ", unknown)}. Known: {string.Join(", ", Scopes.All)}."];
            }
            else if (!CanGrant(caller, scopes))
            {
                throw new ApiException(403, ErrorCodes.Forbidden, "A key can only create keys with scopes it holds itself.");
            }
            if (request.AllowedOrigins is { Count: > 0 } || request.BotId is not null)
            {
                errors["kind"] = ["allowed_origins and bot_id belong to publishable keys."];
            }
        }
        else
        {
            if (scopes.Count > 0)
            {
                errors["scopes"] = ["Publishable keys have no scopes: they can only open widget sessions."];
            }
            foreach (var origin in request.AllowedOrigins ?? [])
            {
                if (origin == "*")
                {
                    origins.Add(origin);
                }
                else if (OriginPolicy.Normalize(origin) is { } normalized)
                {
                    origins.Add(normalized);
                }
                else
                {
                    errors["allowed_origins"] = [$"'{origin}' is not an origin such as https://shop.example."];
                }
            }
            if (origins.Count == 0 && !errors.ContainsKey("allowed_origins"))
            {
                errors["allowed_origins"] = ["A publishable key needs at least one allowed origin, such as https://shop.example."];
            }
            if (string.IsNullOrEmpty(request.BotId))
            {
                errors["bot_id"] = ["A publishable key opens widget sessions for one bot: give its id."];
            }
            else if (!await db.Bots.AnyAsync(b => b.Id == request.BotId, cancellationToken))
            {
                errors["bot_id"] = [$"No bot with id '{request.BotId}' exists in this workspace."];
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        var token = ApiKeyToken.Generate(kind);
        var key = new ApiKey
        {
            Id = ids.New(IdPrefix.ApiKey),
            WorkspaceId = workspace.WorkspaceId!,
            Kind = kind,
            Name = name!,
            Prefix = ApiKeyToken.VisiblePrefix(token),
            TokenHash = ApiKeyToken.Hash(token),
            PublishableToken = kind == ApiKeyKind.Publishable ? token : null,
            Scopes = scopes,
            AllowedOrigins = origins.Distinct().ToList(),
            BotId = kind == ApiKeyKind.Publishable ? request.BotId : null,
            CreatedAt = time.GetUtcNow(),
        };
        db.ApiKeys.Add(key);
        audit.Add(key.WorkspaceId, AuditActions.ApiKeyCreated, caller.ActorId, key.Id, $"{key.Kind.ToString().ToLowerInvariant()} key '{key.Name}'");
        var response = ApiKeyResponse.From(key, kind == ApiKeyKind.Secret ? token : null);
        // The secret is shown once: a replay of this request returns the key without it.
        await idempotency.SaveChangesAsync(201, () => response with { Secret = null }, cancellationToken, $"/v1/api-keys/{key.Id}");
        return TypedResults.Created($"/v1/api-keys/{key.Id}", response);
    }

    public static Task<CursorPage<ApiKeyResponse>> ListKeys(ParleyDbContext db, int? limit, string? after, CancellationToken cancellationToken) =>
        Paging.NewestFirstAsync(db.ApiKeys.AsNoTracking(), limit, after, k => ApiKeyResponse.From(k), cancellationToken);

    public static async Task<Ok<ApiKeyResponse>> RevokeKey(
        string id, ParleyDbContext db, Caller caller, ApiKeyDirectory directory, TimeProvider time, AuditLog audit, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken) ?? throw ApiException.NotFound("API key", id);
        if (key.Kind == ApiKeyKind.Secret && !CanGrant(caller, key.Scopes))
        {
            throw new ApiException(403, ErrorCodes.Forbidden, "A key can only revoke keys whose scopes it holds itself.");
        }
        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            audit.Add(key.WorkspaceId, AuditActions.ApiKeyRevoked, caller.ActorId, key.Id, key.Name);
        }
        await db.SaveChangesAsync(cancellationToken);
        directory.Evict(key);
        return TypedResults.Ok(ApiKeyResponse.From(key));
    }

    private static bool CanGrant(Caller caller, List<string> requested) =>
        caller.HasEveryScope || (requested.Count > 0 && requested.All(caller.Scopes.Contains));
}
