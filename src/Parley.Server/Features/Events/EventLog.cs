using System.Text.Json;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Events;

/// <summary>
/// Records domain events in the unit of work of the change that raised them: they are committed with it, or not at all
/// (the outbox). Nothing is sent from here; delivery reads the log after commit.
/// </summary>
public sealed class EventLog(ParleyDbContext db, WorkspaceScope workspace, IdGenerator ids, TimeProvider time)
{
    /// <summary>Records an event of the request's workspace, or of <paramref name="workspaceId"/> for background work.</summary>
    public DomainEventRecord Add<T>(string type, string? conversationId, T data, string? workspaceId = null)
    {
        var record = new DomainEventRecord
        {
            Id = ids.New(IdPrefix.Event),
            WorkspaceId = workspaceId ?? workspace.WorkspaceId ?? throw new InvalidOperationException("Events need a workspace."),
            Type = type,
            ConversationId = conversationId,
            DataJson = JsonSerializer.Serialize(data, ApiJson.Options),
            CreatedAt = time.GetUtcNow(),
        };
        db.Events.Add(record);
        return record;
    }
}
