using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Providers;

namespace Parley.Server.Features.Exports;

/// <summary>One row of an export: its id (the resume cursor) and the record written for it.</summary>
public readonly record struct ExportRow(string Id, object Record);

/// <summary>
/// One exportable entity: how to query it for the current workspace and how a row is written. Rows are read in id
/// order, a page at a time with keyset pagination and no change tracking, so memory stays flat however many there are.
/// </summary>
public sealed class ExportEntity(
    string name, Type recordType,
    Func<ParleyDbContext, ExportFilter, string?, int, CancellationToken, Task<IReadOnlyList<ExportRow>>> page,
    Func<ParleyDbContext, ExportFilter, CancellationToken, Task<int>> count,
    int pageSize = ExportEntity.PageSize)
{
    public const int PageSize = 1000;

    public string Name { get; } = name;

    public Type RecordType { get; } = recordType;

    /// <summary>The CSV columns: the record's top-level fields, less the PII fields when they are left out.</summary>
    public IReadOnlyList<string> Columns(bool includePii) =>
        [.. RecordType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name))
            .Where(c => includePii || !PiiColumns.Contains(c))];

    /// <summary>The columns that hold personal data, left out without <c>export:pii</c>.</summary>
    private IReadOnlyList<string> PiiColumns => PiiFieldsOf(RecordType);

    /// <summary>The fields of a record type that hold personal data: those stored encrypted.</summary>
    public static IReadOnlyList<string> PiiFieldsOf(Type recordType) =>
        recordType == typeof(ContactRecord) ? ContactRecord.PiiFields
        : recordType == typeof(ConversationRecord) ? ConversationRecord.PiiFields
        : recordType == typeof(MessageRecord) ? MessageRecord.PiiFields
        : recordType == typeof(EventRecord) ? EventRecord.PiiFields
        : recordType == typeof(WebhookAttemptRecord) ? WebhookAttemptRecord.PiiFields
        : recordType == typeof(LeadRecord) ? LeadRecord.PiiFields
        : recordType == typeof(BookingRecord) ? BookingRecord.PiiFields
        : recordType == typeof(ConversationNoteRecord) ? ConversationNoteRecord.PiiFields
        : recordType == typeof(UserRecord) ? UserRecord.PiiFields
        : recordType == typeof(InvitationRecord) ? InvitationRecord.PiiFields
        : recordType == typeof(AuditEntryRecord) ? AuditEntryRecord.PiiFields
        : [];

    public async Task<int> CountAsync(ParleyDbContext db, ExportFilter filter, CancellationToken cancellationToken)
    {
        var sqlite = await PlainReadsAsync(db, cancellationToken);
        try
        {
            return await count(db, filter, cancellationToken);
        }
        finally
        {
            if (sqlite)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// SQLite connections read through a memory map of up to 256 MB (it speeds up knowledge search). A scan of a whole
    /// table through it maps that much of the database file into the process, so an export reads with plain I/O, on
    /// one connection held for the read (the map comes back when a pooled connection is opened again). Returns whether
    /// the connection was opened for it, to be closed by the caller.
    /// </summary>
    private static async Task<bool> PlainReadsAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        if (!db.Database.IsSqlite())
        {
            return false;
        }
        await db.Database.OpenConnectionAsync(cancellationToken);
        await SqliteConnectionPragmas.PlainReadsAsync(db, cancellationToken);
        return true;
    }

    /// <summary>Every row after <paramref name="after"/> (an id), in id order, at most <paramref name="limit"/>.</summary>
    public async IAsyncEnumerable<ExportRow> RowsAsync(
        ParleyDbContext db, ExportFilter filter, string? after, long? limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var sqlite = await PlainReadsAsync(db, cancellationToken);
        try
        {
            var remaining = limit ?? long.MaxValue;
            while (remaining > 0)
            {
                var size = (int)Math.Min(pageSize, remaining);
                var rows = await page(db, filter, after, size, cancellationToken);
                foreach (var row in rows)
                {
                    yield return row;
                }
                remaining -= rows.Count;
                if (rows.Count < size)
                {
                    yield break;
                }
                after = rows[^1].Id;
            }
        }
        finally
        {
            if (sqlite)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    public static ExportEntity Of<TEntity>(
        string name, Type recordType, Func<ParleyDbContext, ExportFilter, IQueryable<TEntity>> query, Func<TEntity, ExportFilter, object> map)
        where TEntity : class, IHasId =>
        new(name, recordType, async (db, filter, after, size, cancellationToken) =>
        {
            var rows = query(db, filter).AsNoTracking();
            if (after is not null)
            {
                rows = rows.Where(r => string.Compare(r.Id, after) > 0);
            }
            var entities = await rows.OrderBy(r => r.Id).Take(size).ToListAsync(cancellationToken);
            return [.. entities.Select(e => new ExportRow(e.Id, map(e, filter)))];
        },
        (db, filter, cancellationToken) => query(db, filter).CountAsync(cancellationToken));

    /// <summary>
    /// An entity whose record also carries rows of another table (a knowledge source with its chunks): a page of
    /// entities is read, then <paramref name="map"/> loads what belongs to that page in one query. Pages are
    /// <paramref name="pageSize"/> entities, smaller than usual when each record is large.
    /// </summary>
    public static ExportEntity OfPages<TEntity>(
        string name, Type recordType, Func<ParleyDbContext, ExportFilter, IQueryable<TEntity>> query,
        Func<ParleyDbContext, IReadOnlyList<TEntity>, ExportFilter, CancellationToken, Task<IReadOnlyList<object>>> map, int pageSize)
        where TEntity : class, IHasId =>
        new(name, recordType, async (db, filter, after, size, cancellationToken) =>
        {
            var rows = query(db, filter).AsNoTracking();
            if (after is not null)
            {
                rows = rows.Where(r => string.Compare(r.Id, after) > 0);
            }
            var entities = await rows.OrderBy(r => r.Id).Take(size).ToListAsync(cancellationToken);
            var records = await map(db, entities, filter, cancellationToken);
            return [.. entities.Select((e, i) => new ExportRow(e.Id, records[i]))];
        },
        (db, filter, cancellationToken) => query(db, filter).CountAsync(cancellationToken), pageSize);
}
