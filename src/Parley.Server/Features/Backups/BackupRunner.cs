using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Engine.Keys;
using Parley.Server.Features.Exports;
using Parley.Server.Features.Imports;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Backups;

/// <summary>
/// Runs a <see cref="BackupCommand"/> on the server's own services and database, through the same
/// <see cref="ExportArchiveWriter"/>, <see cref="ArchiveReader"/> and <see cref="ArchiveImporter"/> as the HTTP jobs.
/// Progress goes to standard error; standard output carries only the result line.
/// </summary>
public sealed class BackupRunner(IServiceProvider services, TextWriter output, TextWriter error)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Configures logging for a command: warnings and errors only, all on standard error.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }

    public async Task<int> RunAsync(BackupCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return command.Name == BackupCommand.Export
                ? await ExportAsync(command, cancellationToken)
                : await ImportAsync(command, cancellationToken);
        }
        catch (ApiException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return BackupCommand.ExitFailed;
        }
        catch (BackupException ex)
        {
            await error.WriteLineAsync("error: " + ex.Message);
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A terminal wants the reason, not a stack trace; the exit code tells scripts it failed.
            await error.WriteLineAsync($"error: {ex.GetType().Name}: {ex.Message}");
            return BackupCommand.ExitFailed;
        }
    }

    private async Task<int> ExportAsync(BackupCommand command, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            throw new BackupException(BackupCommand.ExitFailed,
                "the database has no Parley schema, or an older one than this version of Parley: check the configured database "
                + "(Parley:DataDirectory, ConnectionStrings:Parley), or start the server once to upgrade it, then export.");
        }
        // Contacts, leads and bookings are encrypted at rest: their keys load as at the server's start.
        await FieldEncryption.InitializeAsync(scope.ServiceProvider, db, cancellationToken);
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
        var workspaceId = command.WorkspaceId ?? workspaces switch
        {
            [] => throw new BackupException(BackupCommand.ExitFailed, "the database has no workspace to export."),
            [var only] => only,
            _ => throw new BackupException(BackupCommand.ExitUsage,
                $"the database holds {workspaces.Count} workspaces ({string.Join(", ", workspaces)}); choose one with --workspace."),
        };
        if (!workspaces.Contains(workspaceId))
        {
            throw new BackupException(BackupCommand.ExitUsage, $"there is no workspace '{workspaceId}' in the database.");
        }
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var writer = scope.ServiceProvider.GetRequiredService<ExportArchiveWriter>();

        var path = Path.GetFullPath(command.ArchivePath!);
        if (Path.GetDirectoryName(path) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }
        var partial = path + ".part";
        var clock = Stopwatch.StartNew();
        Progress(command, $"Exporting workspace {workspaceId} to {path} (PII {(command.IncludePii ? "included" : "omitted")})");
        ExportManifest manifest;
        try
        {
            await using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                manifest = await writer.WriteAsync(file, workspaceId, new ExportFilter(null, null, [], command.IncludePii), percent =>
                {
                    Progress(command, $"  {percent}%");
                    return Task.CompletedTask;
                }, cancellationToken);
            }
            File.Move(partial, path, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
        foreach (var file in manifest.Files)
        {
            Progress(command, $"  {file.Name}: {file.Count} rows");
        }
        await output.WriteLineAsync($"Exported workspace {workspaceId} to {path} ({new FileInfo(path).Length} bytes) in {clock.Elapsed.TotalSeconds:0.0} s.");
        return BackupCommand.ExitOk;
    }

    private async Task<int> ImportAsync(BackupCommand command, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(command.ArchivePath!);
        if (!File.Exists(path))
        {
            throw new BackupException(BackupCommand.ExitUsage, $"there is no file {path}.");
        }
        var clock = Stopwatch.StartNew();
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        Progress(command, $"Checking {path}");
        var sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
        file.Position = 0;
        using var archive = await ArchiveReader.OpenAsync(file, cancellationToken);
        Progress(command, $"  the archive is valid (format {archive.Manifest.FormatVersion}, workspace {archive.Workspace.Id}, {archive.Manifest.Files.Sum(f => f.Count)} rows)");

        var storage = services.GetRequiredService<StorageOptions>();
        await using (var setup = services.CreateAsyncScope())
        {
            // The server's schema upgrade without its seeding, once the archive is known to be good: an empty database
            // is filled from the archive.
            Directory.CreateDirectory(storage.DataDirectory);
            var setupDb = setup.ServiceProvider.GetRequiredService<ParleyDbContext>();
            if (storage.Provider == DatabaseProvider.Sqlite
                && Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }
            await setupDb.Database.MigrateAsync(cancellationToken);
            await FieldEncryption.InitializeAsync(setup.ServiceProvider, setupDb, cancellationToken);
        }

        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var (workspaceId, created) = await TargetAsync(db, command, archive.Workspace, cancellationToken);
        scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        var importer = scope.ServiceProvider.GetRequiredService<ArchiveImporter>();
        var ids = scope.ServiceProvider.GetRequiredService<IdGenerator>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        Progress(command, $"Importing into workspace {workspaceId}{(created is null ? "" : " (new)")}");
        ImportJob job;
        try
        {
            var started = time.GetUtcNow();
            job = await importer.ImportAsync(archive, workspaceId, report => new ImportJob
            {
                Id = ids.New(IdPrefix.Import),
                WorkspaceId = workspaceId,
                Status = "succeeded",
                ArchiveSha256 = sha256,
                ReportJson = System.Text.Json.JsonSerializer.Serialize(report, ApiJson.Options),
                CreatedAt = started,
                CompletedAt = time.GetUtcNow(),
            }, cancellationToken, (name, rows) => Progress(command, $"  {name}: {rows} rows"));
        }
        catch when (created is not null)
        {
            // The workspace was made for this import only: leave the database as it was.
            await using var cleanup = services.CreateAsyncScope();
            var cleanupDb = cleanup.ServiceProvider.GetRequiredService<ParleyDbContext>();
            await cleanupDb.ApiKeys.IgnoreQueryFilters().Where(k => k.WorkspaceId == workspaceId).ExecuteDeleteAsync(CancellationToken.None);
            await cleanupDb.Workspaces.Where(w => w.Id == workspaceId).ExecuteDeleteAsync(CancellationToken.None);
            throw;
        }
        if (created is not null)
        {
            var keyFile = await WriteOwnerKeyAsync(storage, created, cancellationToken);
            await error.WriteLineAsync($"The new workspace's owner API key is in {keyFile}.");
        }
        await output.WriteLineAsync($"Imported {path} into workspace {workspaceId} as {job.Id} in {clock.Elapsed.TotalSeconds:0.0} s.");
        return BackupCommand.ExitOk;
    }

    /// <summary>
    /// Where the archive goes, and the owner key made when the workspace is new. Made here only for an empty database:
    /// the archive carries no keys, and a restored server must be reachable.
    /// </summary>
    private async Task<(string WorkspaceId, string? NewOwnerKey)> TargetAsync(
        ParleyDbContext db, BackupCommand command, WorkspaceRecord source, CancellationToken cancellationToken)
    {
        var workspaces = await db.Workspaces.AsNoTracking().OrderBy(w => w.Id).Select(w => w.Id).ToListAsync(cancellationToken);
        if (command.WorkspaceId is { } chosen)
        {
            return workspaces.Contains(chosen)
                ? (chosen, null)
                : throw new BackupException(BackupCommand.ExitUsage, $"there is no workspace '{chosen}' in the database.");
        }
        if (workspaces.Contains(source.Id))
        {
            return (source.Id, null);
        }
        if (workspaces.Count == 1)
        {
            return (workspaces[0], null);
        }
        if (workspaces.Count > 1)
        {
            throw new BackupException(BackupCommand.ExitUsage,
                $"the database holds {workspaces.Count} workspaces ({string.Join(", ", workspaces)}); choose one with --workspace.");
        }

        var bootstrap = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BootstrapOptions>>().Value;
        var secret = bootstrap.ApiKey is { Length: > 0 } configured ? configured : ApiKeyToken.Generate(ApiKeyKind.Secret);
        var ids = services.GetRequiredService<IdGenerator>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        db.Workspaces.Add(new Workspace { Id = source.Id, Name = source.Name, CreatedAt = source.CreatedAt });
        db.ApiKeys.Add(new ApiKey
        {
            Id = ids.New(IdPrefix.ApiKey),
            WorkspaceId = source.Id,
            Kind = ApiKeyKind.Secret,
            Name = "Owner key",
            Prefix = ApiKeyToken.VisiblePrefix(secret),
            TokenHash = ApiKeyToken.Hash(secret),
            CreatedAt = now,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (source.Id, secret);
    }

    private static async Task<string> WriteOwnerKeyAsync(StorageOptions storage, string secret, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(storage.DataDirectory, WorkspaceSeeder.AdminKeyFileName));
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        await using (var file = new FileStream(path, options))
        await using (var writer = new StreamWriter(file))
        {
            await writer.WriteLineAsync(secret.AsMemory(), cancellationToken);
        }
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    private void Progress(BackupCommand command, string line)
    {
        if (!command.Quiet)
        {
            error.WriteLine($"[{_clock.Elapsed.TotalSeconds,6:0.0} s] {line}");
        }
    }
}

/// <summary>A command cannot go on; the message is for the person at the terminal.</summary>
public sealed class BackupException(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
