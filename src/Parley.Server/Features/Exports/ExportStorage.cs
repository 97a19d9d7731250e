using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Exports;

/// <summary>
/// Where finished archives live, one <c>{id}.zip</c> per job: <see cref="ExportOptions.Folder"/> when set (a folder
/// every node mounts, so any node serves an archive another built), otherwise <c>exports/</c> in the data directory.
/// </summary>
public sealed class ExportStorage(StorageOptions storage, IOptions<ExportOptions> options)
{
    public string Folder => options.Value.Folder is { Length: > 0 } shared
        ? Path.GetFullPath(shared)
        : Path.Combine(storage.DataDirectory, "exports");

    public string ArchivePath(string jobId) => Path.Combine(Folder, jobId + ".zip");

    /// <summary>Archives are written here first and moved into place when complete, so a crash never leaves half an archive.</summary>
    public string PartialPath(string jobId) => Path.Combine(Folder, jobId + ".zip.part");
}
