using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Infrastructure.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> of the current POST, if any. Handlers commit through <see cref="SaveChangesAsync"/>,
/// which stores the response in the same transaction as the writes: either both are committed or neither, so a
/// retried request either replays the first response or runs as if for the first time, never twice.
/// </summary>
public sealed class IdempotencyScope(ParleyDbContext db, WorkspaceScope workspace, TimeProvider time, IOptions<JsonOptions> json)
{
    /// <summary>What minimal APIs send with a JSON body.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    private IdempotencyRecord? _pending;

    public string? Key { get; private set; }
    public byte[]? RequestHash { get; private set; }
    public bool IsActive => Key is not null;

    internal void Begin(string key, byte[] requestHash)
    {
        Key = key;
        RequestHash = requestHash;
    }

    /// <summary>
    /// Replays the stored response when a request with this key was answered after this one came in (it waited for
    /// the same conversation): the work is not done twice.
    /// </summary>
    public async Task ReplayIfAnsweredAsync(CancellationToken cancellationToken)
    {
        if (IsActive && await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == Key, cancellationToken) is { } answered)
        {
            throw new IdempotentReplayException(answered);
        }
    }

    /// <summary>
    /// Commits the pending changes, together with the response they produce when the request carries a key.
    /// <paramref name="storedResponse"/> is only called then. The body is stored as the endpoint will write it (the same
    /// serializer settings), with <paramref name="location"/> and the other <paramref name="headers"/> that describe the
    /// result, so a replay is the first response byte for byte.
    /// </summary>
    public async Task SaveChangesAsync(
        int statusCode, Func<object> storedResponse, CancellationToken cancellationToken, string? location = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        if (IsActive)
        {
            var body = storedResponse();
            if (_pending is not null)
            {
                db.Entry(_pending).State = EntityState.Detached;
            }
            _pending = new IdempotencyRecord
            {
                WorkspaceId = workspace.WorkspaceId!,
                Key = Key!,
                RequestHash = RequestHash!,
                StatusCode = statusCode,
                ResponseJson = JsonSerializer.Serialize(body, body.GetType(), json.Value.SerializerOptions),
                Location = location,
                Headers = new Dictionary<string, string>(headers ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase)
                {
                    [HeaderNames.ContentType] = JsonContentType,
                },
                CreatedAt = time.GetUtcNow(),
            };
            db.IdempotencyRecords.Add(_pending);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (IsActive && UniqueViolation.IsUniqueViolation(ex))
        {
            // A concurrent request with the same key committed first, and nothing of ours was written: answer as it did.
            if (db.Database.CurrentTransaction is { } transaction)
            {
                await transaction.RollbackAsync(cancellationToken);
            }
            db.ChangeTracker.Clear();
            var winner = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == Key, cancellationToken);
            if (winner is null)
            {
                throw;
            }
            throw new IdempotentReplayException(winner);
        }
    }
}

/// <summary>Thrown when a concurrent request with the same key won; the middleware replays the winner's response.</summary>
public sealed class IdempotentReplayException(IdempotencyRecord record) : Exception("Replaying the response of a concurrent request with the same Idempotency-Key.")
{
    public IdempotencyRecord Record { get; } = record;
}
