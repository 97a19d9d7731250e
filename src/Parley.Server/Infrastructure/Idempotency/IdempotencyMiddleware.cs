using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Infrastructure.Idempotency;

/// <summary>
/// Honours <c>Idempotency-Key</c> on every authenticated POST: a repeat of a request answered in the last 24 hours
/// gets the stored response (the same status, body bytes and result headers) and writes nothing; the same key with another body is a 409.
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

    /// <summary>
    /// The request's fingerprint: method, path, query and body, read as a stream. The body is buffered for the endpoint
    /// (in memory up to the API's usual limit, in a temporary file beyond it, up to the endpoint's own limit), so an
    /// archive of gigabytes is hashed without being held in memory. A multipart form is hashed by its parts (names, file
    /// names, content types and content), not its bytes: the boundary is random, and a retry made anew must match.
    /// </summary>
    private static async Task<byte[]> HashRequestAsync(HttpContext http)
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<RequestBodyLimit>()?.MaxBytes ?? RequestLimits.MaxBodyBytes;
        http.Request.EnableBuffering(RequestLimits.MaxBodyBytes, limit);
        byte[] hash;
        if (MultipartBoundary(http.Request) is { } boundary)
        {
            try
            {
                hash = await HashFormAsync(http, boundary);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException && !http.RequestAborted.IsCancellationRequested)
            {
                // Not a well-formed form: the endpoint refuses it; its bytes still tell one request from another.
                http.Request.Body.Position = 0;
                hash = await HashBodyAsync(http);
            }
        }
        else
        {
            hash = await HashBodyAsync(http);
        }
        http.Request.Body.Position = 0;
        return hash;
    }

    private static async Task<byte[]> HashBodyAsync(HttpContext http)
    {
        using var sha = StartHash(http, formParts: false);
        await AppendAsync(sha, http.Request.Body, http.RequestAborted);
        return sha.GetHashAndReset();
    }

    private static async Task<byte[]> HashFormAsync(HttpContext http, string boundary)
    {
        using var sha = StartHash(http, formParts: true);
        var reader = new MultipartReader(boundary, http.Request.Body);
        while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
        {
            var disposition = ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var parsed) ? parsed : null;
            var name = disposition?.Name.Value ?? "";
            var fileName = disposition?.FileNameStar.Value ?? disposition?.FileName.Value ?? "";
            sha.AppendData(Encoding.UTF8.GetBytes($"\n--part name={name.Trim('"')} file={fileName.Trim('"')} type={section.ContentType}\n"));
            await AppendAsync(sha, section.Body, http.RequestAborted);
        }
        return sha.GetHashAndReset();
    }

    private static IncrementalHash StartHash(HttpContext http, bool formParts)
    {
        var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}{(formParts ? " form" : "")}\n"));
        return sha;
    }

    private static async Task AppendAsync(IncrementalHash sha, Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            sha.AppendData(buffer, 0, read);
        }
    }

    private static string? MultipartBoundary(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
        && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary
            ? boundary
            : null;

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord record)
    {
        http.Response.StatusCode = record.StatusCode;
        foreach (var (name, value) in record.Headers)
        {
            http.Response.Headers[name] = value;
        }
        if (!record.Headers.ContainsKey(HeaderNames.ContentType))
        {
            http.Response.ContentType = IdempotencyScope.JsonContentType;
        }
        if (record.Location is not null)
        {
            http.Response.Headers.Location = record.Location;
        }
        http.Response.Headers[ReplayedHeader] = "true";
        await http.Response.WriteAsync(record.ResponseJson, http.RequestAborted);
    }
}
