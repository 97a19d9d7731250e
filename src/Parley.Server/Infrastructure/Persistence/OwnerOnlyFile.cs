namespace Parley.Server.Infrastructure.Persistence;

/// <summary>Writes a file only its owner may read (mode 600): it holds a key or a link to the whole workspace.</summary>
public static class OwnerOnlyFile
{
    public static async Task WriteAsync(string path, string line)
    {
        var fileOptions = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var file = new FileStream(path, fileOptions))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(line);
        }
        if (!OperatingSystem.IsWindows())
        {
            // An existing file keeps its mode on create: set it again.
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
