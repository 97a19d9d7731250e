using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Protection;
using Parley.Engine.Leads;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.Leads;

/// <summary>The filters of the lead list, shared by the JSON list and its CSV download.</summary>
public sealed record LeadFilter(
    string? Status, int? MinScore, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore, string? BotId, string? Email)
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
