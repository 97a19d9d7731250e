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
        var comparer = new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);
        property.HasConversion(
            v => JsonSerializer.Serialize(v, Options),
            s => JsonSerializer.Deserialize<T>(s, Options)!,
            comparer);
        return property;
    }

    /// <summary>As <see cref="HasJsonConversion{T}(PropertyBuilder{T})"/>, with the JSON encrypted by <paramref name="cipher"/> when given.</summary>
    public static PropertyBuilder<T> HasJsonConversion<T>(this PropertyBuilder<T> property, FieldCipher? cipher)
    {
        if (cipher is null)
        {
            return property.HasJsonConversion();
        }
        var comparer = new ValueComparer<T>(
            (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
            v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
            v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);
        property.HasConversion(
            v => cipher.Encrypt(JsonSerializer.Serialize(v, Options)),
            s => JsonSerializer.Deserialize<T>(cipher.Decrypt(s), Options)!,
            comparer);
        return property;
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
