using System.Security.Cryptography;
using System.Text;
using Parley.Engine.Randomness;

namespace Parley.Data.Protection;

/// <summary>
/// Encrypts personal fields with AES-256-GCM. A stored value reads <c>enc1:&lt;key id&gt;:&lt;base64(nonce ‖ tag ‖
/// ciphertext)&gt;</c>, so every value names the key that can open it and keys can rotate; the key id and field are
/// bound in as associated data. Values without the prefix are plaintext written before encryption existed: they read
/// as they are, and the start-up pass re-encrypts them. Keys are installed once storage is ready (<see cref="Install"/>).
/// </summary>
public sealed class FieldCipher
{
    public const string Prefix = "enc1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private volatile KeyRing? _ring;

    /// <summary>Whether keys are installed; until then nothing can be read or written.</summary>
    public bool IsReady => _ring is not null;

    /// <summary>The id of the key that encrypts new values.</summary>
    public string ActiveKeyId => Ring.ActiveId;

    /// <summary>
    /// Installs the keys: <paramref name="keys"/> by id (all can decrypt), <paramref name="activeKeyId"/> encrypts,
    /// and the blind index is keyed with a key derived from the active key.
    /// </summary>
    public void Install(IReadOnlyDictionary<string, byte[]> keys, string activeKeyId)
    {
        if (!keys.TryGetValue(activeKeyId, out var active) || keys.Values.Any(k => k.Length != 32))
        {
            throw new ArgumentException("Encryption keys must be 32 bytes and include the active key.", nameof(keys));
        }
        var indexKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, active, 32, info: Encoding.UTF8.GetBytes("parley blind index v1"));
        _ring = new KeyRing(keys.ToDictionary(k => k.Key, k => k.Value, StringComparer.Ordinal), activeKeyId, indexKey);
    }

    private KeyRing Ring => _ring ?? throw new InvalidOperationException("PII encryption keys are not loaded yet.");

    public string Encrypt(string plaintext)
    {
        var ring = Ring;
        var key = ring.Keys[ring.ActiveId];
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        ThreadRandomBytes.Fill(nonce);
        CipherFor(key).Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), AssociatedData(ring.ActiveId));
        return Prefix + ring.ActiveId + ":" + Convert.ToBase64String(blob);
    }

    public string Decrypt(string stored)
    {
        if (!IsEncrypted(stored))
        {
            return stored;
        }
        var ring = Ring;
        var separator = stored.IndexOf(':', Prefix.Length);
        var keyId = stored[Prefix.Length..separator];
        if (!ring.Keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException($"The encryption key '{keyId}' is not available; restore it from the backup of the keys.");
        }
        var blob = Convert.FromBase64String(stored[(separator + 1)..]);
        var plain = new byte[blob.Length - NonceSize - TagSize];
        CipherFor(key).Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain, AssociatedData(keyId));
        return Encoding.UTF8.GetString(plain);
    }

    // A cipher per thread and key, made once: making one (OpenSSL's context and the key schedule) costs more than
    // encrypting a field. A ring keeps its keys' arrays for its lifetime, so the array identifies the key; a thread keeps
    // the last few, which covers a rotation.
    private const int CiphersPerThread = 4;
    [ThreadStatic]
    private static List<(byte[] Key, AesGcm Cipher)>? t_ciphers;

    private static AesGcm CipherFor(byte[] key)
    {
        var ciphers = t_ciphers ??= [];
        foreach (var (known, cipher) in ciphers)
        {
            if (ReferenceEquals(known, key))
            {
                return cipher;
            }
        }
        if (ciphers.Count == CiphersPerThread)
        {
            ciphers[0].Cipher.Dispose();
            ciphers.RemoveAt(0);
        }
        var made = new AesGcm(key, TagSize);
        ciphers.Add((key, made));
        return made;
    }

    public static bool IsEncrypted(string stored) => stored.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="stored"/> is plaintext or under a key other than the active one.</summary>
    public bool NeedsRewrite(string? stored) =>
        stored is not null && (!IsEncrypted(stored) || !stored.AsSpan(Prefix.Length).StartsWith(Ring.ActiveId + ":", StringComparison.Ordinal));

    /// <summary>The blind index of an email: a keyed HMAC of its normalised form, or null for no email.</summary>
    public string? EmailIndex(string? email)
    {
        var normalized = NormalizeEmail(email);
        if (normalized is null)
        {
            return null;
        }
        var mac = HMACSHA256.HashData(Ring.IndexKey, Encoding.UTF8.GetBytes(normalized));
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Trimmed and lower-cased: the form two spellings of one address share.</summary>
    public static string? NormalizeEmail(string? email) =>
        string.IsNullOrWhiteSpace(email) ? null : email.Trim().ToLowerInvariant();

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes("parley-field:" + keyId);

    private sealed record KeyRing(Dictionary<string, byte[]> Keys, string ActiveId, byte[] IndexKey);
}
