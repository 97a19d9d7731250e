using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Infrastructure.Idempotency;

/// <summary>
/// Honours <c>Idempotency-Key</c> on every authenticated POST: a repeat of a request answered in the last 24 hours
/// gets the stored response (same status and body) and writes nothing; the same key with another body is a 409.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task InvokeAsync(HttpContext http, Caller caller, IdempotencyScope scope, ParleyDbContext db, TimeProvider time)
    {
        var key = http.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || key.Length == 0 || !caller.IsAuthenticated)
        {
            await next(http);
            return;
        }
        if (key.Length > MaxKeyLength)
        {
            await Problems.WriteAsync(http, 400, ErrorCodes.InvalidRequest, $"The Idempotency-Key may be at most {MaxKeyLength} characters.",
                new Dictionary<string, string[]> { [Header] = [$"At most {MaxKeyLength} characters."] });
            return;
        }

        var hash = await HashRequestAsync(http);
        var existing = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Key == key, http.RequestAborted);
        if (existing is not null && existing.CreatedAt < time.GetUtcNow() - Retention)
        {
            await db.IdempotencyRecords.Where(r => r.Key == key).ExecuteDeleteAsync(http.RequestAborted);
            existing = null;
        }
        if (existing is not null)
        {
            if (!CryptographicOperations.FixedTimeEquals(existing.RequestHash, hash))
            {
                await Problems.WriteAsync(http, 409, ErrorCodes.Conflict,
                    "This Idempotency-Key was already used with a different request; use a new key for a new request.");
                return;
            }
            await ReplayAsync(http, existing);
            return;
        }

        scope.Begin(key, hash);
        try
        {
            await next(http);
        }
        catch (IdempotentReplayException replay) when (!http.Response.HasStarted)
        {
            if (!CryptographicOperations.FixedTimeEquals(replay.Record.RequestHash, hash))
            {
                await Problems.WriteAsync(http, 409, ErrorCodes.Conflict,
                    "This Idempotency-Key was already used with a different request; use a new key for a new request.");
                return;
            }
            await ReplayAsync(http, replay.Record);
        }
    }

    private static async Task<byte[]> HashRequestAsync(HttpContext http)
    {
        http.Request.EnableBuffering(RequestLimits.MaxBodyBytes, RequestLimits.MaxBodyBytes);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
        http.Request.Body.Position = 0;
        return sha.GetHashAndReset();
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord record)
    {
        http.Response.StatusCode = record.StatusCode;
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers[ReplayedHeader] = "true";
        if (record.Location is not null)
        {
            http.Response.Headers.Location = record.Location;
        }
        await http.Response.WriteAsync(record.ResponseJson, http.RequestAborted);
    }
}
