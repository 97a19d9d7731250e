using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Parley.Data.Protection;

namespace Parley.Data;

internal static class JsonConversion
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a small structured value as a JSON text column, the same way on every provider.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property)
    {
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            s => JsonSerializer.Deserialize<T>(s, Options)!,
            ComparerFor<T>());
        return property;
    }

    /// <summary>As <see cref="HasJsonConversion{T}(PropertyBuilder{T})"/>, with the JSON encrypted by <paramref name="cipher"/> when given.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property, FieldCipher? cipher)
    {
        if (cipher is null)
        {
            return property.HasJsonConversion();
        }
        property.HasConversion(
            v => cipher.Encrypt(JsonSerializer.Serialize(v, Options)),
            s => JsonSerializer.Deserialize<T>(cipher.Decrypt(s), Options)!,
            ComparerFor<T>());
        return property;
    }

    /// <summary>
    /// How the change tracker snapshots and compares a JSON column. It does so for every tracked row at every save
    /// (a turn's messages, its conversation, an idempotent response's headers), so the common shapes are copied and
    /// compared entry by entry; anything else goes through a JSON round trip, which copies any shape deeply.
    /// </summary>
    private static ValueComparer<T> ComparerFor<T>()
    {
        if (typeof(T) == typeof(Dictionary<string, string>))
        {
            return (ValueComparer<T>)(object)DictionaryComparer<string>();
        }
        if (typeof(T) == typeof(Dictionary<string, double>))
        {
            return (ValueComparer<T>)(object)DictionaryComparer<double>();
        }
        if (typeof(T) == typeof(List<string>))
        {
            return (ValueComparer<T>)(object)new ValueComparer<List<string>?>(
                (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
                v => v == null ? 0 : v.Count,
                v => v == null ? null : new List<string>(v));
        }
        return new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);
    }

    private static ValueComparer<Dictionary<string, TValue>?> DictionaryComparer<TValue>() => new(
        (a, b) => SameEntries(a, b),
        v => v == null ? 0 : v.Count,
        v => v == null ? null : new Dictionary<string, TValue>(v, v.Comparer));

    private static bool SameEntries<TValue>(Dictionary<string, TValue>? a, Dictionary<string, TValue>? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        if (a.Count != b.Count)
        {
            return false;
        }
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || !EqualityComparer<TValue>.Default.Equals(value, other))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Stores the text encrypted by <paramref name="cipher"/> (nulls stay null); unchanged without one.</summary>
    public static PropertyBuilder<T> IsEncrypted<T>(this PropertyBuilder<T> property, FieldCipher? cipher) where T : IEquatable<string>?
    {
        if (cipher is not null)
        {
            property.HasConversion(new ValueConverter<string, string>(v => cipher.Encrypt(v), s => cipher.Decrypt(s)));
        }
        return property;
    }
}
