using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Exports;

/// <summary><c>Parley:Exports:Folder</c> puts archives in a folder of the operator's choosing, one several nodes can share.</summary>
public sealed class ExportFolderTests
{
    [Fact]
    public async Task FolderSet_ArchiveWrittenAndServedFromIt_NotTheDataDirectory()
    {
        var shared = Directory.CreateTempSubdirectory("parley-shared-exports").FullName;
        var node = new ParleyApp().With("Parley:Exports:Folder", shared);
        await node.InitializeAsync();
        try
        {
            var archive = await ExportJobs.ExportAsync(node.Client());

            Assert.Contains("manifest.json", ExportJobs.Files(archive).Keys);
            var stored = Assert.Single(Directory.GetFiles(shared));
            Assert.Equal(archive, await File.ReadAllBytesAsync(stored));
            Assert.False(Directory.Exists(Path.Combine(node.DataDirectory, "exports")));
        }
        finally
        {
            await ((IAsyncLifetime)node).DisposeAsync();
            Directory.Delete(shared, recursive: true);
        }
    }
}
