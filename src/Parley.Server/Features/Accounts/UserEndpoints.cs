using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Accounts;

/// <summary>The people of the workspace: list, change a role, remove, make a password reset link.</summary>
public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Team");
        users.MapGet("/", List).RequireScope(Scopes.UsersRead).WithName("ListUsers").WithSummary("List the workspace's users");
        users.MapPatch("/{id}", Update).RequireScope(Scopes.UsersWrite).WithName("UpdateUser").WithSummary("Change a user's role or name")
            .WithDescription("Nobody changes their own role, gives a role above their own or changes someone above them: only an owner makes or changes an owner.");
        users.MapDelete("/{id}", Remove).RequireScope(Scopes.UsersWrite).WithName("RemoveUser")
            .WithSummary("Remove a user; their sessions end at once");
        users.MapPost("/{id}/password-reset", CreateResetLink).RequireScope(Scopes.UsersWrite).WithName("CreatePasswordResetLink")
            .WithSummary("Make a password reset link to hand to the user (valid a day, once)");
        return api;
    }

    public static Task<CursorPage<UserResponse>> List(ParleyDbContext db, Caller caller, int? limit, string? after, CancellationToken cancellationToken) =>
        Paging.NewestFirstAsync(db.Users.AsNoTracking().Where(u => u.WorkspaceId == caller.WorkspaceId), limit, after, UserResponse.From, cancellationToken);

    public static async Task<Ok<UserResponse>> Update(
        string id, UpdateUserRequest request, ParleyDbContext db, Caller caller, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await FindAsync(db, caller, id, cancellationToken);
        if (request.Name is not null)
        {
            var name = request.Name.Trim();
            if (name.Length > 200)
            {
                throw ApiException.Invalid("name", "A name may be at most 200 characters.");
            }
            user.Name = name.Length == 0 ? null : name;
        }
        if (request.Role is not null && request.Role != user.Role)
        {
            TeamRules.RequireKnownRole(request.Role);
            TeamRules.RequireMayManage(caller, user.Id, user.Role, "change the role of");
            TeamRules.RequireMayGrant(caller, request.Role);
            audit.Add(caller.WorkspaceId, AuditActions.RoleChanged, caller.ActorId, user.Id, $"{user.Role} → {request.Role}");
            user.Role = request.Role;
        }
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<NoContent> Remove(string id, ParleyDbContext db, Caller caller, AuditLog audit, CancellationToken cancellationToken)
    {
        var user = await FindAsync(db, caller, id, cancellationToken);
        TeamRules.RequireMayManage(caller, user.Id, user.Role, "remove");
        db.Users.Remove(user);
        audit.Add(caller.WorkspaceId, AuditActions.UserRemoved, caller.ActorId, user.Id, $"{user.Email} ({user.Role})");
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<PasswordResetLinkResponse>> CreateResetLink(
        string id, HttpContext http, ParleyDbContext db, UserManager<User> users, Caller caller, AccountLinks links, AuditLog audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var user = await FindAsync(db, caller, id, cancellationToken);
        TeamRules.RequireMayManage(caller, user.Id, user.Role, "reset the password of");
        var url = links.PasswordReset(http, await PasswordResetTokens.IssueAsync(users, user));
        audit.Add(caller.WorkspaceId, AuditActions.PasswordResetLinkCreated, caller.ActorId, user.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(new PasswordResetLinkResponse(url, time.GetUtcNow() + new DataProtectionTokenProviderOptions().TokenLifespan));
    }

    private static async Task<User> FindAsync(ParleyDbContext db, Caller caller, string id, CancellationToken cancellationToken) =>
        await db.Users.FirstOrDefaultAsync(u => u.Id == id && u.WorkspaceId == caller.WorkspaceId, cancellationToken)
        ?? throw ApiException.NotFound("user", id);
}
