using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A migrated, empty SQLite file, made once per test run, that each new test server's database starts as a copy of:
/// copying a file takes a fraction of running every migration for each of the servers the suite starts. As with
/// <see cref="PostgresTemplate"/>, the server still runs its own migration step on the copy, which finds nothing to
/// do, and seeds it as on a fresh install.
/// </summary>
internal static class SqliteTemplate
{
    public const string FileName = "parley.db";

    private static readonly Lazy<Task<string>> Template = new(CreateAsync);

    /// <summary>Puts a copy of the migrated template at <c>parley.db</c> in <paramref name="dataDirectory"/>.</summary>
    public static void CopyTo(string dataDirectory)
    {
        var template = Template.Value.GetAwaiter().GetResult();
        Directory.CreateDirectory(dataDirectory);
        File.Copy(template, Path.Combine(dataDirectory, FileName));
    }

    // In the default rollback journal, not WAL, so the template is one file that copies whole; the server switches each
    // copy to WAL as it starts.
    private static async Task<string> CreateAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "parley-tests", "template-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, FileName);
        var services = new ServiceCollection()
            .AddParleyDatabase(DatabaseProvider.Sqlite, $"Data Source={file};Pooling=false")
            .BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Database.MigrateAsync();
        }
        await services.DisposeAsync();
        return file;
    }
}
