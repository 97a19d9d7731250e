using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Infrastructure.Background;

/// <summary>
/// Takes, keeps and gives back leases on queue rows (<see cref="ILeased"/>), the same way for every worker. A claim is
/// one conditional update: it only takes rows whose lease is free or has lapsed, so two nodes never hold a row at
/// once. On PostgreSQL it also skips rows another node is claiming at that moment (<c>FOR UPDATE SKIP LOCKED</c>), so
/// the nodes share out a backlog instead of queueing behind each other's locks; SQLite has one writer at a time anyway.
/// </summary>
public static class LeaseClaims
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> rows of <paramref name="due"/> (already filtered to due work and
    /// ordered) for <paramref name="owner"/> until <c>now + lease</c>, and returns them tracked by <paramref name="db"/>.
    /// </summary>
    public static async Task<List<T>> ClaimAsync<T>(
        ParleyDbContext db, IQueryable<T> due, int batchSize, string owner, DateTimeOffset now, TimeSpan lease, CancellationToken cancellationToken)
        where T : class, ILeased
    {
        var candidates = await due
            .Where(r => r.LeaseUntil == null || r.LeaseUntil < now)
            .Select(r => r.Id)
            .Take(batchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }
        var until = now + lease;
        if (db.Database.IsNpgsql())
        {
            await ClaimSkippingLockedAsync<T>(db, candidates, owner, now, until, cancellationToken);
        }
        else
        {
            await db.Set<T>().IgnoreQueryFilters()
                .Where(r => candidates.Contains(r.Id) && (r.LeaseUntil == null || r.LeaseUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseUntil, until), cancellationToken);
        }
        // Claimed now: see them through, even if the caller is stopping.
        return await db.Set<T>().IgnoreQueryFilters()
            .Where(r => candidates.Contains(r.Id) && r.LeaseOwner == owner && r.LeaseUntil == until)
            .ToListAsync(CancellationToken.None);
    }

    /// <summary>Extends <paramref name="owner"/>'s leases on <paramref name="ids"/>; returns how many it still held.</summary>
    public static Task<int> RenewAsync<T>(ParleyDbContext db, IReadOnlyCollection<string> ids, string owner, DateTimeOffset until, CancellationToken cancellationToken)
        where T : class, ILeased =>
        db.Set<T>().IgnoreQueryFilters()
            .Where(r => ids.Contains(r.Id) && r.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), cancellationToken);

    /// <summary>
    /// Gives back at once the rows of <paramref name="held"/> that <paramref name="owner"/> still holds (a node that
    /// stops hands back what it claimed but did not finish). Returns how many.
    /// </summary>
    public static Task<int> HandBackAsync<T>(IQueryable<T> held, string owner, CancellationToken cancellationToken)
        where T : class, ILeased =>
        held.Where(r => r.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), cancellationToken);

    /// <summary>Gives a row back to the queue (its work is done, or left for another node), on the next save.</summary>
    public static void Release(ILeased row)
    {
        row.LeaseOwner = null;
        row.LeaseUntil = null;
    }

    private static async Task ClaimSkippingLockedAsync<T>(
        ParleyDbContext db, List<string> candidates, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken)
        where T : class, ILeased
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => Quote(entity.FindProperty(property)!.GetColumnName(table)!);
        object? Value(string property, object value) =>
            entity.FindProperty(property)!.GetTypeMapping().Converter is { } converter ? converter.ConvertToProvider(value) : value;
        var (id, leaseOwner, leaseUntil) = (Column(nameof(ILeased.Id)), Column(nameof(ILeased.LeaseOwner)), Column(nameof(ILeased.LeaseUntil)));
        var name = (table.Schema is { } schema ? Quote(schema) + "." : "") + Quote(table.Name);
        var sql = $"""
            UPDATE {name} SET {leaseOwner} = @owner, {leaseUntil} = @until
            WHERE {id} IN (
                SELECT {id} FROM {name}
                WHERE {id} = ANY(@candidates) AND ({leaseUntil} IS NULL OR {leaseUntil} < @now)
                FOR UPDATE SKIP LOCKED)
            """;
        await db.Database.ExecuteSqlRawAsync(sql,
            [
                new NpgsqlParameter("owner", owner),
                new NpgsqlParameter("until", Value(nameof(ILeased.LeaseUntil), until)),
                new NpgsqlParameter("now", Value(nameof(ILeased.LeaseUntil), now)),
                new NpgsqlParameter("candidates", candidates.ToArray()),
            ],
            cancellationToken);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
