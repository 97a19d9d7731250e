using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Features.Bots;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Idempotency;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.CannedResponses;

/// <summary>The workspace's canned responses: admins keep them (<c>workspace:write</c>), agents read and insert them.</summary>
public static class CannedResponseEndpoints
{
    public static IEndpointRouteBuilder MapCannedResponses(this IEndpointRouteBuilder api)
    {
        var responses = api.MapGroup("/canned-responses").WithTags("Canned responses");
        responses.MapPost("/", Create).RequireScope(Scopes.WorkspaceWrite)
            .WithName("CreateCannedResponse").WithSummary("Add a canned response")
            .WithDescription("`shortcut` is what agents type after `/` in the reply box: 1–40 of `a–z`, `0–9`, `-`, `_` (stored in lower case); `text` is 1–4000 characters. 409 when the workspace already has the shortcut. Owners and admins (`workspace:write`).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
        responses.MapGet("/", List).RequireScope(Scopes.Agent)
            .WithName("ListCannedResponses").WithSummary("List canned responses")
            .WithDescription("Newest first. `prefix` keeps those whose shortcut starts with it (what an agent has typed after `/`).");
        responses.MapGet("/{id}", Get).RequireScope(Scopes.Agent)
            .WithName("GetCannedResponse").WithSummary("Get a canned response")
            .ProducesProblem(StatusCodes.Status404NotFound);
        responses.MapPatch("/{id}", Update).RequireScope(Scopes.WorkspaceWrite)
            .WithName("UpdateCannedResponse").WithSummary("Change a canned response")
            .WithDescription("Fields left out or null stay unchanged; the rules of creation apply to those given.")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        responses.MapDelete("/{id}", Delete).RequireScope(Scopes.WorkspaceWrite)
            .WithName("DeleteCannedResponse").WithSummary("Delete a canned response")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    public static async Task<Created<CannedResponseResponse>> Create(
        CreateCannedResponseRequest? request, ParleyDbContext db, WorkspaceScope workspace, IdempotencyScope idempotency, IdGenerator ids,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var shortcut = CannedResponseValidation.Shortcut(errors, request?.Shortcut);
        var text = CannedResponseValidation.Text(errors, request?.Text);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await EnsureFreeAsync(db, shortcut!, null, cancellationToken);
        var now = time.GetUtcNow();
        var response = new CannedResponse
        {
            Id = ids.New(IdPrefix.CannedResponse),
            WorkspaceId = workspace.WorkspaceId!,
            Shortcut = shortcut!,
            Text = text!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.CannedResponses.Add(response);
        var body = CannedResponseResponse.From(response);
        var location = $"/v1/canned-responses/{response.Id}";
        await idempotency.SaveChangesAsync(StatusCodes.Status201Created, () => body, cancellationToken, location);
        return TypedResults.Created(location, body);
    }

    public static Task<CursorPage<CannedResponseResponse>> List(
        ParleyDbContext db, string? prefix, int? limit, string? after, CancellationToken cancellationToken)
    {
        var query = db.CannedResponses.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(prefix))
        {
            var start = prefix.Trim().ToLowerInvariant();
            query = query.Where(r => r.Shortcut.StartsWith(start));
        }
        return Paging.NewestFirstAsync(query, limit, after, CannedResponseResponse.From, cancellationToken);
    }

    public static async Task<Ok<CannedResponseResponse>> Get(string id, ParleyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(CannedResponseResponse.From(await FindAsync(db.CannedResponses.AsNoTracking(), id, cancellationToken)));

    public static async Task<Ok<CannedResponseResponse>> Update(
        string id, UpdateCannedResponseRequest? request, ParleyDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var response = await FindAsync(db.CannedResponses, id, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        var shortcut = request?.Shortcut is null ? null : CannedResponseValidation.Shortcut(errors, request.Shortcut);
        var text = request?.Text is null ? null : CannedResponseValidation.Text(errors, request.Text);
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        if (shortcut is not null && shortcut != response.Shortcut)
        {
            await EnsureFreeAsync(db, shortcut, id, cancellationToken);
            response.Shortcut = shortcut;
        }
        if (text is not null)
        {
            response.Text = text;
        }
        response.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(CannedResponseResponse.From(response));
    }

    public static async Task<Ok<DeletedResponse>> Delete(string id, ParleyDbContext db, CancellationToken cancellationToken)
    {
        db.CannedResponses.Remove(await FindAsync(db.CannedResponses, id, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new DeletedResponse(id, true));
    }

    private static async Task<CannedResponse> FindAsync(IQueryable<CannedResponse> responses, string id, CancellationToken cancellationToken) =>
        await responses.FirstOrDefaultAsync(r => r.Id == id, cancellationToken) ?? throw ApiException.NotFound("canned response", id);

    /// <remarks>The unique index settles a race between two admins; this check gives the usual case a clear 409.</remarks>
    private static async Task EnsureFreeAsync(ParleyDbContext db, string shortcut, string? exceptId, CancellationToken cancellationToken)
    {
        if (await db.CannedResponses.AnyAsync(r => r.Shortcut == shortcut && r.Id != exceptId, cancellationToken))
        {
            throw ApiException.Conflict($"The workspace already has a canned response with the shortcut '{shortcut}'.");
        }
    }
}
