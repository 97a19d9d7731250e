using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Accounts;

/// <summary>Inviting people: a link that creates their account with a role, emailed when SMTP is configured.</summary>
public static class InvitationEndpoints
{
    public static IEndpointRouteBuilder MapInvitations(this IEndpointRouteBuilder api)
    {
        var invitations = api.MapGroup("/invitations").WithTags("Team");
        invitations.MapPost("/", Create).RequireScope(Scopes.UsersWrite).WithName("CreateInvitation").WithSummary("Invite someone with a role")
            .WithDescription("Returns the invitation link once, in `url`; it is also emailed when SMTP is configured (`emailed`). Nobody invites with a role above their own.");
        invitations.MapGet("/", List).RequireScope(Scopes.UsersRead).WithName("ListInvitations").WithSummary("List invitations, newest first");
        invitations.MapDelete("/{id}", Revoke).RequireScope(Scopes.UsersWrite).WithName("RevokeInvitation").WithSummary("Revoke an invitation");
        return api;
    }

    public static async Task<Created<InvitationResponse>> Create(
        CreateInvitationRequest request, HttpContext http, ParleyDbContext db, WorkspaceScope workspace, Caller caller, AccountLinks links,
        AccountEmails emails, AuditLog audit, IdGenerator ids, TimeProvider time, IOptions<AccountOptions> options, CancellationToken cancellationToken)
    {
        var email = request.Email?.Trim();
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrEmpty(email) || email.Length > 256 || !MailAddress.TryCreate(email, out _))
        {
            errors["email"] = ["Enter the email address of the person to invite."];
        }
        if (!Roles.IsKnown(request.Role))
        {
            errors["role"] = [$"role must be one of: {string.Join(", ", Roles.All)}."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        TeamRules.RequireMayGrant(caller, request.Role!);
        var normalized = email!.ToUpperInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalized, cancellationToken))
        {
            throw ApiException.Conflict($"{email} already has an account.");
        }

        var now = time.GetUtcNow();
        var token = InvitationTokens.Generate();
        var invitation = new Invitation
        {
            Id = ids.New(IdPrefix.Invitation),
            WorkspaceId = workspace.WorkspaceId!,
            Email = email,
            Role = request.Role!,
            TokenHash = InvitationTokens.Hash(token),
            InvitedBy = caller.ActorId!,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        db.Invitations.Add(invitation);
        audit.Add(invitation.WorkspaceId, AuditActions.InvitationCreated, caller.ActorId, invitation.Id, $"{email} as {invitation.Role}");
        await db.SaveChangesAsync(cancellationToken);

        var url = links.Invitation(http, token);
        var workspaceName = await db.Workspaces.Where(w => w.Id == invitation.WorkspaceId).Select(w => w.Name).FirstAsync(cancellationToken);
        var emailed = await emails.TrySendAsync(email, $"You are invited to {workspaceName} on Parley",
            $"You are invited to join {workspaceName} on Parley as {invitation.Role}. Open this link to create your account (valid until {invitation.ExpiresAt:yyyy-MM-dd HH:mm} UTC):\n\n{url}\n",
            cancellationToken);
        return TypedResults.Created($"/v1/invitations/{invitation.Id}", InvitationResponse.From(invitation, now) with { Url = url, Emailed = emailed });
    }

    public static Task<CursorPage<InvitationResponse>> List(
        ParleyDbContext db, TimeProvider time, int? limit, string? after, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return Paging.NewestFirstAsync(db.Invitations.AsNoTracking(), limit, after, i => InvitationResponse.From(i, now), cancellationToken);
    }

    public static async Task<Ok<InvitationResponse>> Revoke(
        string id, ParleyDbContext db, Caller caller, AuditLog audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id, cancellationToken) ?? throw ApiException.NotFound("invitation", id);
        var now = time.GetUtcNow();
        if (invitation.AcceptedAt is null && invitation.RevokedAt is null)
        {
            invitation.RevokedAt = now;
            audit.Add(caller.WorkspaceId, AuditActions.InvitationRevoked, caller.ActorId, invitation.Id, invitation.Email);
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok(InvitationResponse.From(invitation, now));
    }
}
