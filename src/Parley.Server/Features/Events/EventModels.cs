using System.Text.Json;
using Parley.Data.Entities;

namespace Parley.Server.Features.Events;

/// <summary>A domain event, in the same shape as a webhook body.</summary>
public sealed record EventResponse(string Id, string Type, DateTimeOffset CreatedAt, string WorkspaceId, JsonElement Data)
{
    public static EventResponse From(DomainEventRecord e)
    {
        using var data = JsonDocument.Parse(e.DataJson);
        return new EventResponse(e.Id, e.Type, e.CreatedAt, e.WorkspaceId, data.RootElement.Clone());
    }
}
