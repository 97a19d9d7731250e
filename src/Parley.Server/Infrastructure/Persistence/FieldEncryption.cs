using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Protection;

namespace Parley.Server.Infrastructure.Persistence;

/// <summary>
/// Installs the PII keys at start-up and brings stored values up to date: plaintext written before encryption
/// existed, and values under a retired key, are re-encrypted under the active key (and their blind index recomputed).
/// </summary>
public static class FieldEncryption
{
    private const string Purpose = "Parley.FieldEncryption.v1";

    /// <summary>The id of the first generated data key: fixed, so nodes starting together agree on one key.</summary>
    public const string InitialKeyId = "dk1";

    public static async Task InitializeAsync(IServiceProvider services, ParleyDbContext db, CancellationToken cancellationToken)
    {
        var cipher = services.GetRequiredService<FieldCipher>();
        var options = services.GetRequiredService<IOptions<EncryptionOptions>>().Value;
        if (!string.IsNullOrEmpty(options.Key))
        {
            var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var text in options.PreviousKeys.Append(options.Key))
            {
                var key = Decode(text);
                keys[IdOf(key)] = key;
            }
            // A data key generated before a key was configured still opens what it encrypted, until the pass below
            // has re-encrypted that under the configured key.
            var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
            foreach (var generated in await db.EncryptionKeys.AsNoTracking().ToListAsync(cancellationToken))
            {
                try
                {
                    keys.TryAdd(generated.Id, Convert.FromBase64String(protector.Unprotect(generated.ProtectedKey)));
                }
                catch (CryptographicException)
                {
                    // Its Data Protection key is gone: a value still under it fails, naming the key, when it is read.
                }
            }
            cipher.Install(keys, IdOf(Decode(options.Key)));
            await RewriteKeyRingAsync(db, KeyRingCipher.From(options)!, cancellationToken);
        }
        else
        {
            var protector = services.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose);
            var stored = await db.EncryptionKeys.AsNoTracking().ToListAsync(cancellationToken);
            if (stored.Count == 0)
            {
                db.EncryptionKeys.Add(new EncryptionKey
                {
                    Id = InitialKeyId,
                    ProtectedKey = protector.Protect(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))),
                    CreatedAt = DateTimeOffset.UtcNow,
                });
                try
                {
                    await db.SaveChangesAsync(cancellationToken);
                }
                catch (DbUpdateException)
                {
                    // Another node stored the first key at the same moment: use that one.
                }
                db.ChangeTracker.Clear();
                stored = await db.EncryptionKeys.AsNoTracking().ToListAsync(cancellationToken);
            }
            var keys = stored.ToDictionary(k => k.Id, k => Convert.FromBase64String(protector.Unprotect(k.ProtectedKey)), StringComparer.Ordinal);
            var active = stored.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).Last().Id;
            cipher.Install(keys, active);
        }
        await RewriteStaleAsync(db, cipher, cancellationToken);
    }

    /// <summary>The id a configured key is known by in ciphertexts: a hash prefix, never the key.</summary>
    public static string IdOf(byte[] key) => "k" + Convert.ToHexStringLower(SHA256.HashData(key))[..10];

    internal static byte[] Decode(string base64)
    {
        var key = Convert.FromBase64String(base64);
        return key.Length == 32 ? key : throw new InvalidOperationException($"{EncryptionOptions.Section}:Key must be 32 bytes, base64.");
    }

    /// <summary>Encrypts Data Protection keys stored in clear, or under a previous configured key, under the active one.</summary>
    private static async Task RewriteKeyRingAsync(ParleyDbContext db, KeyRingCipher cipher, CancellationToken cancellationToken)
    {
        var keys = await db.DataProtectionKeys.ToListAsync(cancellationToken);
        var changed = false;
        foreach (var key in keys)
        {
            if (key.Xml is not null && cipher.Rewrite(key.Xml) is { } xml)
            {
                key.Xml = xml;
                changed = true;
            }
        }
        if (changed)
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        db.ChangeTracker.Clear();
    }

    private static async Task RewriteStaleAsync(ParleyDbContext db, FieldCipher cipher, CancellationToken cancellationToken)
    {
        var current = FieldCipher.Prefix + cipher.ActiveKeyId + ":%";
        await RewriteAsync(db, db.Contacts, "Contacts", ["Name", "Email", "Phone", "Attributes"], current, cancellationToken);
        await RewriteAsync(db, db.Leads, "Leads", ["Name", "Email", "Phone", "Custom", "PageUrl", "Referrer", "Utm"], current, cancellationToken);
        await RewriteAsync(db, db.Bookings, "Bookings", ["Name", "Email", "Phone", "Notes"], current, cancellationToken);
        await RewriteAsync(db, db.Conversations, "Conversations", ["PageUrl", "Referrer", "Utm", "UserAgent", "FlowStateJson"], current, cancellationToken);
        await RewriteAsync(db, db.Messages, "Messages", ["Text"], current, cancellationToken);
        await RewriteAsync(db, db.Events, "Events", ["DataJson"], current, cancellationToken);
        await RewriteAsync(db, db.WebhookAttempts, "WebhookAttempts", ["ResponseExcerpt"], current, cancellationToken);
        await RewriteIdempotencyRecordsAsync(db, current, cancellationToken);
    }

    /// <summary>Stored responses have no single id: they are found by workspace and key.</summary>
    private static async Task RewriteIdempotencyRecordsAsync(ParleyDbContext db, string current, CancellationToken cancellationToken)
    {
        var stale = await db.Database
            .SqlQueryRaw<string>("SELECT \"Key\" AS \"Value\" FROM \"IdempotencyRecords\" WHERE \"ResponseJson\" NOT LIKE {0}", current)
            .ToListAsync(cancellationToken);
        foreach (var batch in stale.Distinct().Chunk(200))
        {
            var rows = await db.IdempotencyRecords.IgnoreQueryFilters().Where(r => batch.Contains(r.Key)).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                db.Entry(row).Property(r => r.ResponseJson).IsModified = true;
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }

    private static async Task RewriteAsync<T>(
        ParleyDbContext db, DbSet<T> set, string table, string[] columns, string current, CancellationToken cancellationToken) where T : class, IHasId
    {
        var stale = string.Join(" OR ", columns.Select(c => $"(\"{c}\" IS NOT NULL AND \"{c}\" NOT LIKE {{0}})"));
        // Table and column names are constants of this class; the only value is a parameter.
        var sql = "SELECT \"Id\" AS \"Value\" FROM \"" + table + "\" WHERE " + stale;
        var ids = await db.Database.SqlQueryRaw<string>(sql, current).ToListAsync(cancellationToken);
        foreach (var batch in ids.Chunk(200))
        {
            var rows = await set.IgnoreQueryFilters().Where(r => batch.Contains(r.Id)).ToListAsync(cancellationToken);
            foreach (var row in rows)
            {
                foreach (var column in columns)
                {
                    db.Entry(row).Property(column).IsModified = true;
                }
                if (row is Contact or Lead)
                {
                    db.Entry(row).Property("EmailIndex").IsModified = true;
                }
            }
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }
    }
}
