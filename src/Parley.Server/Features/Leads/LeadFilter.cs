using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Protection;
using Parley.Engine.Leads;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Leads;

/// <summary>
/// The filters of the lead list, read from the query string (<c>[AsParameters]</c>) by the JSON list and by its CSV
/// download, so both bind them alike and return the same leads; a value of the wrong type answers 400 naming its parameter.
/// </summary>
public sealed record LeadFilter(
    [FromQuery(Name = "status")] string? Status = null,
    [FromQuery(Name = "min_score")] int? MinScore = null,
    [FromQuery(Name = "created_after")] DateTimeOffset? CreatedAfter = null,
    [FromQuery(Name = "created_before")] DateTimeOffset? CreatedBefore = null,
    [FromQuery(Name = "bot_id")] string? BotId = null,
    [FromQuery(Name = "email")] string? Email = null)
{
    /// <summary>The leads that pass the filters; a 400 when a filter is not valid.</summary>
    public IQueryable<Lead> Apply(ParleyDbContext db, FieldCipher cipher)
    {
        if (Status is not null && !LeadStatus.All.Contains(Status))
        {
            throw ApiException.Invalid("status", $"status must be one of {string.Join(", ", LeadStatus.All)}.");
        }
        var query = db.Leads.AsNoTracking();
        query = Status is null ? query : query.Where(l => l.Status == Status);
        query = MinScore is null ? query : query.Where(l => l.Score >= MinScore);
        query = CreatedAfter is null ? query : query.Where(l => l.CreatedAt >= CreatedAfter);
        query = CreatedBefore is null ? query : query.Where(l => l.CreatedAt < CreatedBefore);
        query = BotId is null ? query : query.Where(l => l.BotId == BotId);
        if (Email is not null)
        {
            var index = cipher.EmailIndex(Email);
            query = query.Where(l => l.EmailIndex == index);
        }
        return query;
    }
}
