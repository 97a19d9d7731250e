using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Parley.Engine.Imports.Botpress;

/// <summary>
/// Reads the regular files of a tar archive (gzipped or not) within fixed bounds, keeping only those a filter wants.
/// It refuses, before reading their data, an archive with more than <see cref="MaxEntries"/> entries, one whose
/// entries add up to more than <see cref="MaxTotalBytes"/> uncompressed, a kept file over <see cref="MaxFileBytes"/>,
/// and names that are absolute or climb out of the archive (<c>..</c>). Written here rather than on
/// System.Formats.Tar because its reader buffers a PAX or GNU long-name block whole, at whatever size its header
/// claims, so a few kilobytes of gzip could make it allocate gigabytes.
/// </summary>
public static class BoundedTar
{
    public const int MaxEntries = 20_000;
    public const long MaxTotalBytes = 64L * 1024 * 1024;
    public const int MaxFileBytes = 8 * 1024 * 1024;
    private const int MaxHeaderBlockBytes = 64 * 1024;
    private const int Block = 512;
    private const string NotAnArchive = "The file is not a .tgz archive (a tar archive, gzipped or not).";

    /// <summary>The kept files by their normalised path (no leading <c>./</c>); throws <see cref="ImportFileException"/> when a bound is broken.</summary>
    public static IReadOnlyDictionary<string, byte[]> Read(ReadOnlyMemory<byte> archive, Func<string, bool> keep)
    {
        var span = archive.Span;
        var gzipped = span.Length >= 2 && span[0] == 0x1f && span[1] == 0x8b;
        using var raw = new MemoryStream(archive.ToArray(), writable: false);
        using var stream = gzipped ? new GZipStream(raw, CompressionMode.Decompress) : (Stream)raw;
        try
        {
            return ReadEntries(stream, keep);
        }
        catch (InvalidDataException)
        {
            throw new ImportFileException("The archive is not a valid .tgz: its gzip data is damaged.");
        }
        catch (EndOfStreamException)
        {
            throw new ImportFileException("The archive ends in the middle of a file: it is cut short or not a tar archive.");
        }
    }

    private static Dictionary<string, byte[]> ReadEntries(Stream stream, Func<string, bool> keep)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var header = new byte[Block];
        long total = 0;
        var entries = 0;
        string? longName = null;
        string? paxPath = null;
        long? paxSize = null;
        while (true)
        {
            if (!ReadBlock(stream, header, allowEnd: entries > 0))
            {
                break;
            }
            if (header.All(b => b == 0))
            {
                break;
            }
            if (++entries > MaxEntries)
            {
                throw new ImportFileException($"The archive holds more than {MaxEntries:N0} entries; a bot archive holds far fewer.");
            }
            if (!ChecksumMatches(header))
            {
                throw new ImportFileException(entries == 1 ? NotAnArchive : $"Entry {entries} of the archive has a damaged header.");
            }
            var type = (char)header[156];
            var size = paxSize ?? Octal(header.AsSpan(124, 12));
            paxSize = null;
            total += size;
            if (size < 0 || total > MaxTotalBytes)
            {
                throw new ImportFileException($"The archive unpacks to more than {MaxTotalBytes / 1024 / 1024} MB; a bot archive is far smaller.");
            }
            switch (type)
            {
                case 'x' or 'g' or 'L':
                    if (size > MaxHeaderBlockBytes)
                    {
                        throw new ImportFileException($"Entry {entries} of the archive has an extended header of {size:N0} bytes; tar tools write a few hundred.");
                    }
                    var block = ReadData(stream, (int)size);
                    if (type == 'L')
                    {
                        longName = Encoding.UTF8.GetString(block).TrimEnd('\0');
                    }
                    else if (type == 'x')
                    {
                        (paxPath, paxSize) = Pax(block);
                    }
                    continue;
                case '0' or '\0' or '7':
                    var name = Normalise(longName ?? paxPath ?? Name(header));
                    longName = paxPath = null;
                    if (keep(name))
                    {
                        if (size > MaxFileBytes)
                        {
                            throw new ImportFileException($"{name} is {size:N0} bytes; the limit for one file of the archive is {MaxFileBytes / 1024 / 1024} MB.");
                        }
                        files[name] = ReadData(stream, (int)size);
                    }
                    else
                    {
                        SkipBytes(stream, size + Padding(size));
                    }
                    continue;
                default:
                    // Folders, links and devices: their names are checked too, their data (if any) skipped.
                    Normalise(longName ?? paxPath ?? Name(header));
                    longName = paxPath = null;
                    SkipBytes(stream, size + Padding(size));
                    continue;
            }
        }
        return files;
    }

    private static bool ReadBlock(Stream stream, byte[] block, bool allowEnd)
    {
        var read = stream.ReadAtLeast(block, Block, throwOnEndOfStream: false);
        if (read == 0 && allowEnd)
        {
            return false;
        }
        if (read < Block && !allowEnd)
        {
            throw new ImportFileException(NotAnArchive);
        }
        return read == Block ? true : throw new EndOfStreamException();
    }

    private static byte[] ReadData(Stream stream, int size)
    {
        var data = new byte[size];
        stream.ReadExactly(data);
        SkipBytes(stream, Padding(size));
        return data;
    }

    private static void SkipBytes(Stream stream, long count)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var left = count;
            while (left > 0)
            {
                var read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }
                left -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static long Padding(long size) => (Block - (size % Block)) % Block;

    private static bool ChecksumMatches(byte[] header)
    {
        var stored = Octal(header.AsSpan(148, 8));
        long sum = 0;
        for (var i = 0; i < Block; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : header[i];
        }
        return stored == sum;
    }

    /// <summary>An octal number field; -1 for the base-256 form, which only sizes beyond any bound here use.</summary>
    private static long Octal(ReadOnlySpan<byte> field)
    {
        if (field.Length > 0 && (field[0] & 0x80) != 0)
        {
            return -1;
        }
        var text = Encoding.ASCII.GetString(field).Trim(' ', '\0');
        return text.Length == 0 ? 0 : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out _) && text.All(c => c is >= '0' and <= '7')
            ? Convert.ToInt64(text, 8)
            : -1;
    }

    private static string Name(byte[] header)
    {
        var name = CString(header.AsSpan(0, 100));
        var ustar = Encoding.ASCII.GetString(header, 257, 5) == "ustar";
        var prefix = ustar ? CString(header.AsSpan(345, 155)) : "";
        return prefix.Length > 0 ? prefix + "/" + name : name;
    }

    private static string CString(ReadOnlySpan<byte> field)
    {
        var end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field[..end]);
    }

    private static (string? Path, long? Size) Pax(byte[] block)
    {
        string? path = null;
        long? size = null;
        foreach (var record in Encoding.UTF8.GetString(block).Split('\n'))
        {
            var space = record.IndexOf(' ', StringComparison.Ordinal);
            var equals = record.IndexOf('=', StringComparison.Ordinal);
            if (space < 0 || equals < space)
            {
                continue;
            }
            var (key, value) = (record[(space + 1)..equals], record[(equals + 1)..]);
            if (key == "path")
            {
                path = value;
            }
            else if (key == "size")
            {
                size = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1;
            }
        }
        return (path, size);
    }

    /// <summary>The name without a leading <c>./</c>, refused when it is absolute or climbs out of the archive.</summary>
    private static string Normalise(string name)
    {
        var path = name.Replace('\\', '/');
        while (path.StartsWith("./", StringComparison.Ordinal))
        {
            path = path[2..];
        }
        if (path.StartsWith('/') || (path.Length > 1 && path[1] == ':') || path.Split('/').Contains("..") || path.Contains('\0', StringComparison.Ordinal))
        {
            throw new ImportFileException($"The archive holds an entry named '{ImportJson.Clip(name, 200)}', which points outside the archive; a bot archive never does.");
        }
        return path;
    }
}
