using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Data;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Integrations;

public static class IntegrationEndpoints
{
    public static IEndpointRouteBuilder MapIntegrations(this IEndpointRouteBuilder api)
    {
        api.MapGroup("/integrations").WithTags("Integrations")
            .MapGet("/health", GetHealth).RequireScope(Scopes.WebhooksRead)
            .WithName("GetIntegrationHealth").WithSummary("Every hop of the integration chain, with its health over the last 24 hours")
            .WithDescription("From each event type to each webhook endpoint and to the notification emails: the last attempt's outcome, counts, and the last success and failure.");
        return api;
    }

    public static async Task<Ok<IntegrationHealthResponse>> GetHealth(ParleyDbContext db, WorkspaceScope workspace, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await IntegrationHealthQuery.ForAsync(db, workspace.WorkspaceId!, time.GetUtcNow(), cancellationToken));
}
