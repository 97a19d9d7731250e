using System.Formats.Tar;
using System.IO.Compression;
using System.Text;

namespace Parley.Engine.Tests.Imports.Botpress;

/// <summary>
/// Botpress v12 bot archives for the tests: the sample bot's folder packed as Export bot packs it (a gzipped tar of the
/// bot's files), and hostile archives written header by header, which no well-behaved tar tool would write.
/// </summary>
internal static class BotpressArchives
{
    public static string Folder(string bot) => Path.Combine(AppContext.BaseDirectory, "Imports", "Botpress", "Fixtures", bot);

    /// <summary>The sample bot <paramref name="bot"/> as a .tgz, its files sorted by path, each file's text changed by <paramref name="edit"/> if given.</summary>
    public static byte[] Pack(string bot, Func<string, string, string>? edit = null)
    {
        var folder = Folder(bot);
        var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, File.ReadAllText(Path.Combine(folder, path))))
            .Select(f => (f.path, edit is null ? f.Item2 : edit(f.path, f.Item2)));
        return Tgz(files);
    }

    /// <summary>A .tgz of these files, written with the platform's tar writer.</summary>
    public static byte[] Tgz(IEnumerable<(string Path, string Text)> files)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            foreach (var (path, text) in files)
            {
                tar.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, path)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)),
                    ModificationTime = new DateTimeOffset(2026, 9, 14, 8, 0, 0, TimeSpan.Zero),
                });
            }
        }
        return output.ToArray();
    }

    /// <summary>A gzipped tar written by hand: each entry's header as given (its size may differ from its data), then its data.</summary>
    public static byte[] Raw(IEnumerable<(string Name, char Type, long Size, Action<Stream> Data)> entries)
    {
        var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            foreach (var (name, type, size, data) in entries)
            {
                gzip.Write(Header(name, type, size));
                data(gzip);
            }
            gzip.Write(new byte[1024]);
        }
        return output.ToArray();
    }

    public static Action<Stream> Text(string text) => stream =>
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        stream.Write(bytes);
        stream.Write(new byte[(512 - (bytes.Length % 512)) % 512]);
    };

    public static Action<Stream> Zeros(long count) => stream =>
    {
        var block = new byte[64 * 1024];
        for (var left = count; left > 0; left -= block.Length)
        {
            stream.Write(block, 0, (int)Math.Min(block.Length, left));
        }
    };

    private static byte[] Header(string name, char type, long size)
    {
        var header = new byte[512];
        Encoding.UTF8.GetBytes(name.Length > 100 ? name[..100] : name).CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes(Convert.ToString(size, 8).PadLeft(11, '0') + "\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("15052453060\0").CopyTo(header, 136);
        header[156] = (byte)type;
        Encoding.ASCII.GetBytes("ustar\000").CopyTo(header, 257);
        for (var i = 148; i < 156; i++)
        {
            header[i] = (byte)' ';
        }
        var sum = header.Sum(b => (long)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        return header;
    }
}
