using System.Security.Cryptography;
using Parley.Data.Protection;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The field cipher keeps a cipher per thread and key; values must still open only under their own key, however many
/// keys one thread has used (the six below share the key id "k", so only the key itself tells them apart), and the same
/// text never encrypts the same way twice.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class FieldCipherTests
{
    [Fact]
    public void EncryptDecrypt_SixKeysInTurnOnOneThread_EachValueOpensUnderItsOwnKeyOnly()
    {
        var ciphers = Enumerable.Range(0, 6).Select(_ => NewCipher()).ToList();
        var values = new List<(FieldCipher Cipher, string Stored, string Text)>();
        for (var round = 0; round < 3; round++)
        {
            foreach (var (cipher, i) in ciphers.Select((c, i) => (c, i)))
            {
                var text = $"visitor {i} says hello, round {round}";
                values.Add((cipher, cipher.Encrypt(text), text));
            }
        }

        foreach (var (cipher, stored, text) in values)
        {
            Assert.Equal(text, cipher.Decrypt(stored));
            var other = ciphers.First(c => c != cipher);
            Assert.ThrowsAny<CryptographicException>(() => other.Decrypt(stored));
        }
    }

    [Fact]
    public void Encrypt_SameTextManyTimes_NoTwoValuesAlike()
    {
        var cipher = NewCipher();
        var stored = Enumerable.Range(0, 500).Select(_ => cipher.Encrypt("the same text")).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        Assert.All(stored, s => Assert.Equal("the same text", cipher.Decrypt(s)));
    }

    [Fact]
    public void Decrypt_RotatedRing_OldValuesOpenAndNewOnesUseTheNewKey()
    {
        var oldKey = RandomNumberGenerator.GetBytes(32);
        var newKey = RandomNumberGenerator.GetBytes(32);
        var cipher = new FieldCipher();
        cipher.Install(new Dictionary<string, byte[]> { ["old"] = oldKey }, "old");
        var before = cipher.Encrypt("written before the rotation");

        cipher.Install(new Dictionary<string, byte[]> { ["old"] = oldKey, ["new"] = newKey }, "new");
        var after = cipher.Encrypt("written after the rotation");

        Assert.Equal("written before the rotation", cipher.Decrypt(before));
        Assert.Equal("written after the rotation", cipher.Decrypt(after));
        Assert.StartsWith(FieldCipher.Prefix + "new:", after, StringComparison.Ordinal);
    }

    private static FieldCipher NewCipher()
    {
        var cipher = new FieldCipher();
        cipher.Install(new Dictionary<string, byte[]> { ["k"] = RandomNumberGenerator.GetBytes(32) }, "k");
        return cipher;
    }
}
