using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Paging;

namespace Parley.Server.Features.Events;

public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder api)
    {
        var events = api.MapGroup("/events").WithTags("Events");
        events.MapGet("/", ListEvents).RequireScope(Scopes.EventsRead)
            .WithName("ListEvents")
            .WithSummary("List domain events")
            .WithDescription("The append-only event log, newest first: a polling alternative to webhooks. Filter by `type` or `conversation_id`.");
        return api;
    }

    public static async Task<CursorPage<EventResponse>> ListEvents(
        ParleyDbContext db, string? type, [FromQuery(Name = "conversation_id")] string? conversationId, int? limit, string? after, CancellationToken cancellationToken)
    {
        var query = db.Events.AsNoTracking();
        if (!string.IsNullOrEmpty(type))
        {
            query = query.Where(e => e.Type == type);
        }
        if (!string.IsNullOrEmpty(conversationId))
        {
            query = query.Where(e => e.ConversationId == conversationId);
        }
        return await Paging.NewestFirstAsync(query, limit, after, EventResponse.From, cancellationToken);
    }
}
