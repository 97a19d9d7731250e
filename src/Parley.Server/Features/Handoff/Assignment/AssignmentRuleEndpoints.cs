using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Features.Audit;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Handoff.Assignment;

public static class AssignmentRuleEndpoints
{
    public static IEndpointRouteBuilder MapAssignmentRules(this IEndpointRouteBuilder api)
    {
        var rules = api.MapGroup("/workspace/assignment-rules").WithTags("Workspace");
        rules.MapGet("/", Get).RequireScope(Scopes.WorkspaceRead)
            .WithName("GetAssignmentRules").WithSummary("How handoffs are shared among agents")
            .WithDescription("The per-agent capacity of open conversations (null: no limit), whether waiting conversations are assigned automatically in turns to online agents with room, and after how many minutes without a reply from its holder a conversation moves on (null: never). Everyone who answers conversations can read them.");
        rules.MapPut("/", Put).RequireScope(Scopes.WorkspaceWrite)
            .WithName("UpdateAssignmentRules").WithSummary("Set how handoffs are shared among agents")
            .WithDescription("Replaces the rules; a field left out is off. `capacity` is 1–100 or null, `reassign_after_minutes` 1–1440 or null; anything else is a 400 `invalid_request` that changes nothing. Owners and admins (`workspace:write`).")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return api;
    }

    public static async Task<Ok<AssignmentRulesResponse>> Get(ParleyDbContext db, CancellationToken cancellationToken) =>
        TypedResults.Ok(AssignmentRulesResponse.From(await db.AssignmentRules.AsNoTracking().FirstOrDefaultAsync(cancellationToken)));

    public static async Task<Ok<AssignmentRulesResponse>> Put(
        UpdateAssignmentRulesRequest request, ParleyDbContext db, Caller caller, AuditLog audit, WakeSignal<AssignmentWorker> sweep, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var problems = request.ToRules().Problems();
        if (problems.Count > 0)
        {
            throw ApiException.Invalid(problems.ToDictionary(p => p.Key, p => new[] { p.Value }));
        }
        var row = await db.AssignmentRules.FirstOrDefaultAsync(cancellationToken);
        if (AssignmentRuleChanges.Describe(row.ToRules(), request.ToRules()) is { } changes)
        {
            audit.Add(caller.WorkspaceId, AuditActions.AssignmentRulesChanged, caller.ActorId, caller.WorkspaceId, changes);
        }
        if (row is null)
        {
            row = new Data.Entities.WorkspaceAssignmentRules { Id = caller.WorkspaceId, WorkspaceId = caller.WorkspaceId };
            db.AssignmentRules.Add(row);
        }
        row.Capacity = request.Capacity;
        row.AutoAssign = request.AutoAssign;
        row.ReassignAfterMinutes = request.ReassignAfterMinutes;
        row.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        // Waiting conversations may go to someone now.
        sweep.Notify();
        return TypedResults.Ok(AssignmentRulesResponse.From(row));
    }
}
