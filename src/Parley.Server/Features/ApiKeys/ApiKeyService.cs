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

namespace Parley.Server.Features.ApiKeys;

/// <summary>Creates and revokes API keys: a key grants only scopes its creator holds, and its secret is shown once.</summary>
public sealed class ApiKeyService(
    ParleyDbContext db, WorkspaceScope workspace, Caller caller, IdempotencyScope idempotency, ApiKeyDirectory directory, IdGenerator ids,
    TimeProvider time, AuditLog audit)
{
    public static string Location(string keyId) => $"/v1/api-keys/{keyId}";

    /// <summary>Creates the key; the response holds its secret, shown this once (a replay returns the key without it).</summary>
    public async Task<ApiKeyResponse> CreateAsync(CreateApiKeyRequest request, CancellationToken cancellationToken)
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
        await idempotency.SaveChangesAsync(201, () => response with { Secret = null }, cancellationToken, Location(key.Id));
        return response;
    }

    public async Task<ApiKeyResponse> RevokeAsync(string id, CancellationToken cancellationToken)
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
        return ApiKeyResponse.From(key);
    }

    private static bool CanGrant(Caller caller, List<string> requested) =>
        caller.HasEveryScope || (requested.Count > 0 && requested.All(caller.Scopes.Contains));
}
