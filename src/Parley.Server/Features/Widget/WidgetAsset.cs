using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Parley.Server.Features.Widget;

/// <summary>
/// The widget script (<c>wwwroot/widget.js</c>, embedded in the assembly), with its gzip and Brotli forms made once at
/// start-up and a version taken from its content, so a versioned URL changes exactly when the script does. The
/// comment lines of the source (those that start with <c>//</c>) are for its readers and are not sent.
/// </summary>
public sealed class WidgetAsset
{
    private const string ResourceName = "Parley.Server.widget.js";
    private static readonly Lazy<WidgetAsset> Embedded = new(Load);

    private WidgetAsset(byte[] source)
    {
        var script = WithoutCommentLines(source);
        Script = script;
        Gzip = Compress(script, s => new GZipStream(s, CompressionLevel.SmallestSize));
        Brotli = Compress(script, s => new BrotliStream(s, CompressionLevel.SmallestSize));
        Version = Convert.ToHexStringLower(SHA256.HashData(script))[..12];
    }

    public static WidgetAsset Current => Embedded.Value;

    public byte[] Script { get; }
    public byte[] Gzip { get; }
    public byte[] Brotli { get; }

    /// <summary>The first 12 hex digits of the script's SHA-256.</summary>
    public string Version { get; }

    /// <summary>The URL that never changes content, cached for a year: <c>/widget.&lt;version&gt;.js</c>.</summary>
    public string VersionedPath => $"/widget.{Version}.js";

    public string ETag => $"\"{Version}\"";

    private static WidgetAsset Load()
    {
        using var stream = typeof(WidgetAsset).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the build.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return new WidgetAsset(buffer.ToArray());
    }

    private static byte[] WithoutCommentLines(byte[] source)
    {
        var lines = Encoding.UTF8.GetString(source).Split('\n');
        return Encoding.UTF8.GetBytes(string.Join('\n', lines.Where(line => !line.TrimStart().StartsWith("//", StringComparison.Ordinal))));
    }

    private static byte[] Compress(byte[] data, Func<Stream, Stream> compressor)
    {
        using var output = new MemoryStream();
        using (var compressed = compressor(output))
        {
            compressed.Write(data);
        }
        return output.ToArray();
    }
}
