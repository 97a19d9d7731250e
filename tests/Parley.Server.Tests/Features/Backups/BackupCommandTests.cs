using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Features.Exports;
using Parley.Server.Tests.Features.Imports;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Backups;

/// <summary>
/// The <c>export</c> and <c>import</c> commands, run as the real program in its own process against SQLite files in
/// temporary data directories.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class BackupCommandTests : IAsyncLifetime
{
    private static readonly string[] EntityFiles =
    [
        "workspace.json", "bots.json", "webhook_endpoints.json", "contacts.ndjson", "conversations.ndjson", "messages.ndjson",
        "events.ndjson", "webhook_deliveries.ndjson", "webhook_attempts.ndjson", "model_providers.json", "leads.ndjson", "bookings.ndjson",
        "knowledge_sources.ndjson",
    ];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "parley-tests", "cli-" + Guid.NewGuid().ToString("N"));
    private readonly ParleyApp _app;

    public BackupCommandTests()
    {
        var data = Path.Combine(_root, "source");
        _app = new ParleyApp(data).With("Parley:Database:Provider", "sqlite").With("ConnectionStrings:Parley", SqliteConnection(data));
    }

    public Task InitializeAsync() => ((IAsyncLifetime)_app).InitializeAsync();

    public async Task DisposeAsync()
    {
        await ((IAsyncLifetime)_app).DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ExportThenImport_IntoFreshDatabase_EntityFilesAreEqual()
    {
        await ImportTests.RichWorkspaceAsync(_app);
        var workspaceId = await _app.DbAsync(db => db.Workspaces.Where(w => w.Name.StartsWith("Bäckerei")).Select(w => w.Id).SingleAsync());
        var first = Path.Combine(_root, "first.zip");
        var second = Path.Combine(_root, "second.zip");
        var fresh = Path.Combine(_root, "fresh");

        var exported = await RunAsync(Database(_app.DataDirectory), "export", "--out", first, "--workspace", workspaceId);
        var imported = await RunAsync(Database(fresh), "import", first);
        var again = await RunAsync(Database(fresh), "export", "--out", second);

        Assert.True(exported.Code == 0, exported.Error);
        Assert.True(imported.Code == 0, imported.Error);
        Assert.True(again.Code == 0, again.Error);
        Assert.Contains("messages.ndjson: 10 rows", imported.Error, StringComparison.Ordinal);
        Assert.Contains("Imported", imported.Output, StringComparison.Ordinal);
        var before = ExportJobs.Files(await File.ReadAllBytesAsync(first));
        var after = ExportJobs.Files(await File.ReadAllBytesAsync(second));
        foreach (var file in EntityFiles)
        {
            Assert.Equal(before[file], after[file]);
        }
        Assert.Contains("zoe@example.com", after["contacts.ndjson"], StringComparison.Ordinal);
        Assert.StartsWith("sk_", (await File.ReadAllTextAsync(Path.Combine(fresh, "admin-key.txt"))).Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_ArchiveChangedAfterExport_ExitsNonZeroAndImportsNothing()
    {
        await ImportTests.RichWorkspaceAsync(_app);
        var workspaceId = await _app.DbAsync(db => db.Workspaces.Where(w => w.Name.StartsWith("Bäckerei")).Select(w => w.Id).SingleAsync());
        var archive = Path.Combine(_root, "backup.zip");
        Assert.Equal(0, (await RunAsync(Database(_app.DataDirectory), "export", "--out", archive, "--workspace", workspaceId)).Code);
        var files = ExportJobs.Files(await File.ReadAllBytesAsync(archive));
        files["messages.ndjson"] = files["messages.ndjson"].Replace("Line one", "Line 1", StringComparison.Ordinal);
        var tampered = Path.Combine(_root, "tampered.zip");
        await File.WriteAllBytesAsync(tampered, ImportTests.ExportArchive(files));
        var rows = await _app.RowCountsAsync();

        var intoExisting = await RunAsync(Database(_app.DataDirectory), "import", tampered, "--workspace", workspaceId);
        var intoFresh = await RunAsync(Database(Path.Combine(_root, "fresh")), "import", tampered);

        Assert.Equal(1, intoExisting.Code);
        Assert.Contains("SHA-256", intoExisting.Error, StringComparison.Ordinal);
        Assert.Equal(rows, await _app.RowCountsAsync());
        Assert.Equal(1, intoFresh.Code);
        Assert.False(File.Exists(Path.Combine(_root, "fresh", "parley.db")), "A refused archive must not even create the database.");
    }

    [Fact]
    public async Task Commands_WrongCommandLine_ExitTwoWithUsage()
    {
        var noOut = await RunAsync([], "export");
        var unknown = await RunAsync([], "import", "backup.zip", "--bogus");
        var badPii = await RunAsync([], "export", "--out", "x.zip", "--include-pii", "maybe");
        var help = await RunAsync([], "import", "--help");

        Assert.Equal(2, noOut.Code);
        Assert.Contains("--out", noOut.Error, StringComparison.Ordinal);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("--bogus", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(2, badPii.Code);
        Assert.Equal(0, help.Code);
        Assert.Contains("Exit codes", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_SeveralWorkspacesWithoutChoice_ExitsTwoAndWritesNothing()
    {
        await _app.CreateWorkspaceAsync("Second");
        var archive = Path.Combine(_root, "none.zip");

        var result = await RunAsync(Database(_app.DataDirectory), "export", "--out", archive);

        Assert.Equal(2, result.Code);
        Assert.Contains("--workspace", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(archive));
    }

    private static string SqliteConnection(string dataDirectory) => $"Data Source={Path.Combine(dataDirectory, "parley.db")}";

    private static string[] Database(string dataDirectory) =>
        ["--Parley:DataDirectory=" + dataDirectory, "--Parley:Database:Provider=sqlite", "--ConnectionStrings:Parley=" + SqliteConnection(dataDirectory)];

    private static async Task<(int Code, string Output, string Error)> RunAsync(string[] configuration, params string[] command)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Parley.Server.dll"));
        foreach (var arg in command.Concat(configuration))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("PARLEY_TEST_POSTGRES");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }
}
