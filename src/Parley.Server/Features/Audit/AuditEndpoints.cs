using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Audit;

/// <summary>One audit entry: who did what to what, when and from which address.</summary>
public sealed record AuditEntryResponse(
    string Id, string Action, string? ActorId, string? TargetId, string? Detail, string? IpAddress, DateTimeOffset CreatedAt)
{
    public static AuditEntryResponse From(AuditEntry a) => new(a.Id, a.Action, a.ActorId, a.TargetId, a.Detail, a.IpAddress, a.CreatedAt);
}

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder api)
    {
        api.MapGet("/audit", List).RequireScope(Scopes.AuditRead).WithTags("Audit")
            .WithName("ListAuditEntries").WithSummary("The audit log, newest first")
            .WithDescription("Sign-ins (and failed ones), lockouts, invitations, role changes, removals, password resets, API key creation and revocation, and changes of the assignment rules. Filter with `action`.");
        return api;
    }

    public static Task<CursorPage<AuditEntryResponse>> List(
        ParleyDbContext db, int? limit, string? after, string? action, CancellationToken cancellationToken)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(action))
        {
            query = query.Where(a => a.Action == action);
        }
        return Paging.NewestFirstAsync(query, limit, after, AuditEntryResponse.From, cancellationToken);
    }
}
