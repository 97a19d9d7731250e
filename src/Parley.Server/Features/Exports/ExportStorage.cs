using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Exports;

/// <summary>Where finished archives live: <c>exports/</c> in the data directory, one <c>{id}.zip</c> per job.</summary>
public sealed class ExportStorage(StorageOptions storage)
{
    public string Folder => Path.Combine(storage.DataDirectory, "exports");

    public string ArchivePath(string jobId) => Path.Combine(Folder, jobId + ".zip");

    /// <summary>Archives are written here first and moved into place when complete, so a crash never leaves half an archive.</summary>
    public string PartialPath(string jobId) => Path.Combine(Folder, jobId + ".zip.part");
}
