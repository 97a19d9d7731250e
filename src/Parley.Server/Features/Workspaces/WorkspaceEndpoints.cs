using System.Net.Mail;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Server.Features.Notifications;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Workspaces;

/// <summary>The caller's workspace and its settings.</summary>
public sealed record WorkspaceResponse(string Id, string Name, IReadOnlyList<string> NotificationEmails, DateTimeOffset CreatedAt)
{
    public static WorkspaceResponse From(Workspace w) => new(w.Id, w.Name, w.NotificationEmails, w.CreatedAt);
}

/// <summary>Change the workspace; fields left out stay as they are.</summary>
public sealed record UpdateWorkspaceRequest(string? Name = null, List<string>? NotificationEmails = null);

public static class WorkspaceEndpoints
{
    private const int MaxNotificationEmails = 20;

    public static IEndpointRouteBuilder MapWorkspace(this IEndpointRouteBuilder api)
    {
        var workspace = api.MapGroup("/workspace").WithTags("Workspace");
        workspace.MapGet("/", Get).RequireScope(Scopes.WorkspaceRead)
            .WithName("GetWorkspace").WithSummary("The workspace of the calling key");
        workspace.MapPatch("/", Update).RequireScope(Scopes.WorkspaceWrite)
            .WithName("UpdateWorkspace").WithSummary("Rename the workspace or set where notification emails go");
        return api;
    }

    public static async Task<Ok<WorkspaceResponse>> Get(ParleyDbContext db, WorkspaceScope scope, CancellationToken cancellationToken) =>
        TypedResults.Ok(WorkspaceResponse.From(await db.Workspaces.AsNoTracking().FirstAsync(w => w.Id == scope.WorkspaceId, cancellationToken)));

    public static async Task<Ok<WorkspaceResponse>> Update(
        UpdateWorkspaceRequest request, ParleyDbContext db, WorkspaceScope scope, NotificationRecipients recipients, CancellationToken cancellationToken)
    {
        var workspace = await db.Workspaces.FirstAsync(w => w.Id == scope.WorkspaceId, cancellationToken);
        var errors = new Dictionary<string, string[]>();
        if (request.Name is not null)
        {
            var name = request.Name.Trim();
            if (name.Length is 0 or > 200)
            {
                errors["name"] = ["name must be 1 to 200 characters."];
            }
            workspace.Name = name;
        }
        if (request.NotificationEmails is { } emails)
        {
            var bad = emails.Where(e => !MailAddress.TryCreate(e, out _)).ToList();
            if (bad.Count > 0 || emails.Count > MaxNotificationEmails)
            {
                errors["notification_emails"] = [$"At most {MaxNotificationEmails} valid email addresses; not valid: {string.Join(", ", bad)}."];
            }
            workspace.NotificationEmails = [.. emails.Select(e => e.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        await db.SaveChangesAsync(cancellationToken);
        recipients.Evict(workspace.Id);
        return TypedResults.Ok(WorkspaceResponse.From(workspace));
    }
}
