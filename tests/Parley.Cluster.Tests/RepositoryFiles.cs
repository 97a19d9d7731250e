namespace Parley.Cluster.Tests;

internal static class RepositoryFiles
{
    /// <summary>The absolute path of a file given relative to the repository root (where Parley.slnx is).</summary>
    public static string PathOf(string relative)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Parley.slnx")))
        {
            directory = directory.Parent;
        }
        return Path.Combine(directory?.FullName ?? throw new InvalidOperationException("Parley.slnx not found above the test binaries."), relative);
    }
}
