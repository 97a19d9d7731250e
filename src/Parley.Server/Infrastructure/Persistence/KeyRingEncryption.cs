using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace Parley.Server.Infrastructure.Persistence;

/// <summary>
/// Encrypts the ASP.NET Data Protection key ring (the <c>DataProtectionKeys</c> table) with AES-256-GCM under a key
/// derived by HKDF from <c>Parley:Encryption:Key</c>, so a copy of the database holds no Data Protection key in clear.
/// Each encrypted element names the configured key it was made with (the id used in <c>enc1:</c> values), so the
/// ring still opens with <c>Parley:Encryption:PreviousKeys</c> after a rotation, until the start-up pass re-encrypts it.
/// </summary>
public sealed class KeyRingCipher
{
    public static readonly XNamespace Namespace = "urn:parley:data-protection:v1";
    public static readonly XName EncryptedElementName = Namespace + "encryptedKey";

    /// <summary>Data Protection marks the elements it wants encrypted with this attribute, and wraps the result in <see cref="EncryptedSecretName"/>.</summary>
    public static readonly XNamespace DataProtectionNamespace = "http://schemas.asp.net/2015/03/dataProtection";
    public static readonly XName EncryptedSecretName = DataProtectionNamespace + "encryptedSecret";
    public static readonly XName RequiresEncryptionName = DataProtectionNamespace + "requiresEncryption";

    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Dictionary<string, byte[]> _keys;

    private KeyRingCipher(Dictionary<string, byte[]> keys, string activeKeyId)
    {
        _keys = keys;
        ActiveKeyId = activeKeyId;
    }

    /// <summary>The id of the configured key new elements are encrypted with.</summary>
    public string ActiveKeyId { get; }

    /// <summary>The cipher of the configured keys, or null when no key is configured (the key ring then stays as Data Protection writes it).</summary>
    public static KeyRingCipher? From(EncryptionOptions options)
    {
        if (string.IsNullOrEmpty(options.Key))
        {
            return null;
        }
        var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var text in options.PreviousKeys.Append(options.Key))
        {
            var key = FieldEncryption.Decode(text);
            keys[FieldEncryption.IdOf(key)] = HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: Encoding.UTF8.GetBytes("parley data protection key ring v1"));
        }
        return new KeyRingCipher(keys, FieldEncryption.IdOf(FieldEncryption.Decode(options.Key)));
    }

    public XElement Encrypt(XElement plaintext)
    {
        var key = _keys[ActiveKeyId];
        var plain = Encoding.UTF8.GetBytes(plaintext.ToString(SaveOptions.DisableFormatting));
        var blob = new byte[NonceSize + TagSize + plain.Length];
        RandomNumberGenerator.Fill(blob.AsSpan(0, NonceSize));
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(blob.AsSpan(0, NonceSize), plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), AssociatedData(ActiveKeyId));
        }
        return new XElement(EncryptedElementName, new XAttribute("keyId", ActiveKeyId), Convert.ToBase64String(blob));
    }

    public XElement Decrypt(XElement encrypted)
    {
        var keyId = (string?)encrypted.Attribute("keyId") ?? throw new CryptographicException("An encrypted Data Protection key names no key id.");
        if (!_keys.TryGetValue(keyId, out var key))
        {
            throw new CryptographicException(
                $"The Data Protection key ring is encrypted with the key '{keyId}', which is not configured; add it to {EncryptionOptions.Section}:PreviousKeys.");
        }
        var blob = Convert.FromBase64String(encrypted.Value);
        var plain = new byte[blob.Length - NonceSize - TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain, AssociatedData(keyId));
        }
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }

    /// <summary>
    /// A stored key's XML brought up to date: secrets Data Protection left in clear (written before a key was
    /// configured) or encrypted under a previous key are encrypted under the active one. Null when nothing changes.
    /// </summary>
    public string? Rewrite(string xml)
    {
        var root = XElement.Parse(xml);
        var changed = false;
        foreach (var secret in root.DescendantsAndSelf(EncryptedSecretName).ToList())
        {
            if (secret.Element(EncryptedElementName) is { } ours && (string?)ours.Attribute("keyId") != ActiveKeyId)
            {
                ours.ReplaceWith(Encrypt(Decrypt(ours)));
                changed = true;
            }
        }
        foreach (var plain in root.DescendantsAndSelf().Where(e => (bool?)e.Attribute(RequiresEncryptionName) == true).ToList())
        {
            plain.ReplaceWith(Wrap(Encrypt(plain)));
            changed = true;
        }
        return changed ? root.ToString(SaveOptions.DisableFormatting) : null;
    }

    /// <summary>The element as Data Protection stores an encrypted secret: it finds the decryptor by the type named here.</summary>
    private static XElement Wrap(XElement encrypted) =>
        new(EncryptedSecretName, new XAttribute("decryptorType", typeof(KeyRingDecryptor).AssemblyQualifiedName!), encrypted);

    private static byte[] AssociatedData(string keyId) => Encoding.UTF8.GetBytes("parley-key-ring:" + keyId);
}

/// <summary>The Data Protection side of <see cref="KeyRingCipher"/>: encrypts each new key as it is written.</summary>
public sealed class KeyRingEncryptor(KeyRingCipher cipher) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) => new(cipher.Encrypt(plaintextElement), typeof(KeyRingDecryptor));
}

/// <summary>Opens what <see cref="KeyRingEncryptor"/> wrote. Data Protection creates it by type name, with the application's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var cipher = KeyRingCipher.From(services.GetRequiredService<IOptions<EncryptionOptions>>().Value)
            ?? throw new CryptographicException($"The Data Protection key ring is encrypted, but {EncryptionOptions.Section}:Key is not set.");
        return cipher.Decrypt(encryptedElement);
    }
}

/// <summary>Installs the encryptor when a key is configured; without one, Data Protection keeps its default (and says so in its log).</summary>
public sealed class KeyRingEncryptionSetup(IOptions<EncryptionOptions> encryption) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options)
    {
        if (KeyRingCipher.From(encryption.Value) is { } cipher)
        {
            options.XmlEncryptor = new KeyRingEncryptor(cipher);
        }
    }
}
