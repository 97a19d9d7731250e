using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Data.Tenancy;
using Parley.Engine.Ids;
using Parley.Engine.Keys;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// The real server in memory, on its own database: a fresh SQLite file in a temporary data directory, or a fresh
/// PostgreSQL database when <c>PARLEY_TEST_POSTGRES</c> holds a server connection string (set by test.sh).
/// </summary>
public class ParleyApp : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string OwnerKey = "sk_testOwnerKey0000000000000000000000";
    private readonly Dictionary<string, string?> _settings = [];
    private readonly string? _postgresDatabase;
    private bool _newPostgresDatabase;
    private IHost? _host;
    private bool _stopped;

    public ParleyApp() : this(Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N")))
    {
    }

    /// <summary>An app on an existing data directory (and database), to test a restart.</summary>
    internal ParleyApp(string dataDirectory, string? postgresDatabase = null)
    {
        DataDirectory = dataDirectory;
        _settings["Parley:DataDirectory"] = dataDirectory;
        _settings["Parley:Bootstrap:ApiKey"] = OwnerKey;
        _settings["Parley:ApiKeys:LastUsedFlushInterval"] = "00:00:00.100";
        // Nothing balances the test nodes: they stop without serving on through a drain delay.
        _settings["Parley:Shutdown:DrainDelay"] = "00:00:00";
        // As in production, whatever the environment: the tests that deliver to loopback receivers turn it on.
        _settings["Parley:Network:AllowPrivateTargets"] = "false";
        if (PostgresServer is { } server)
        {
            _newPostgresDatabase = postgresDatabase is null;
            _postgresDatabase = postgresDatabase ?? "parley_test_" + Guid.NewGuid().ToString("N")[..12];
            _settings["Parley:Database:Provider"] = "postgres";
            _settings["ConnectionStrings:Parley"] = $"{server};Database={_postgresDatabase}";
        }
    }

    public static string? PostgresServer => Environment.GetEnvironmentVariable("PARLEY_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public string DataDirectory { get; }

    public string? PostgresDatabase => _postgresDatabase;

    /// <summary>Overrides a setting before the server starts (for example a low rate limit).</summary>
    public ParleyApp With(string key, string value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Leaves a setting to the server's own configuration files.</summary>
    public ParleyApp Without(string key)
    {
        _settings.Remove(key);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        if (_newPostgresDatabase && PostgresServer is { } server && _settings.GetValueOrDefault("Parley:Database:Provider") == "postgres")
        {
            // Runs once, as the server is built; the server's own migration step then finds the schema in place.
            PostgresTemplate.CreateDatabaseAsync(server, _postgresDatabase!).GetAwaiter().GetResult();
            _newPostgresDatabase = false;
        }
        else if (_settings.GetValueOrDefault("Parley:Database:Provider") is null or "sqlite"
            && !_settings.ContainsKey("ConnectionStrings:Parley")
            && !File.Exists(Path.Combine(DataDirectory, SqliteTemplate.FileName)))
        {
            SqliteTemplate.CopyTo(DataDirectory);
        }
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        _host = base.CreateHost(builder);
        return _host;
    }

    /// <summary>
    /// Stops the node as SIGTERM does: it drains, finishes its work and hands back its leases. The server's entry point
    /// then ends and disposes its services: read what it left through another node or a restart.
    /// </summary>
    public async Task StopAsync()
    {
        _stopped = true;
        await (_host ?? throw new InvalidOperationException("The node has not started.")).StopAsync();
    }

    /// <summary>A client authenticated with <paramref name="key"/> (the seeded owner key by default).</summary>
    public HttpClient Client(string? key = OwnerKey)
    {
        var client = CreateClient();
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>Runs <paramref name="work"/> on the database as the given workspace (or across all when null).</summary>
    public async Task<T> DbAsync<T>(Func<ParleyDbContext, Task<T>> work, string? workspaceId = null)
    {
        await using var scope = Services.CreateAsyncScope();
        if (workspaceId is not null)
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceScope>().Enter(workspaceId);
        }
        return await work(scope.ServiceProvider.GetRequiredService<ParleyDbContext>());
    }

    /// <summary>Counts rows of every table, across workspaces, to show a request wrote nothing.</summary>
    public Task<string> RowCountsAsync() => DbAsync(async db =>
        string.Join(", ",
            "bots=" + await db.Bots.IgnoreQueryFilters().CountAsync(),
            "keys=" + await db.ApiKeys.IgnoreQueryFilters().CountAsync(),
            "contacts=" + await db.Contacts.IgnoreQueryFilters().CountAsync(),
            "conversations=" + await db.Conversations.IgnoreQueryFilters().CountAsync(),
            "messages=" + await db.Messages.IgnoreQueryFilters().CountAsync(),
            "events=" + await db.Events.IgnoreQueryFilters().CountAsync(),
            "knowledge_sources=" + await db.KnowledgeSources.IgnoreQueryFilters().CountAsync(),
            "knowledge_chunks=" + await db.KnowledgeChunks.IgnoreQueryFilters().CountAsync(),
            "idempotency=" + await db.IdempotencyRecords.IgnoreQueryFilters().CountAsync()));

    /// <summary>A second workspace with its own owner key, made directly in the database.</summary>
    public async Task<(string WorkspaceId, string Key)> CreateWorkspaceAsync(string name = "Other")
    {
        var ids = Services.GetRequiredService<IdGenerator>();
        var token = ApiKeyToken.Generate(ApiKeyKind.Secret);
        var workspaceId = ids.New(IdPrefix.Workspace);
        await DbAsync(async db =>
        {
            db.Workspaces.Add(new Workspace { Id = workspaceId, Name = name, CreatedAt = DateTimeOffset.UtcNow });
            db.ApiKeys.Add(new ApiKey
            {
                Id = ids.New(IdPrefix.ApiKey),
                WorkspaceId = workspaceId,
                Kind = ApiKeyKind.Secret,
                Name = "owner",
                Prefix = ApiKeyToken.VisiblePrefix(token),
                TokenHash = ApiKeyToken.Hash(token),
                CreatedAt = DateTimeOffset.UtcNow,
            });
            return await db.SaveChangesAsync();
        });
        return (workspaceId, token);
    }

    public Task InitializeAsync()
    {
        _ = Server; // start now, so migrations and seeding are done before the first test
        return Task.CompletedTask;
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        if (_postgresDatabase is not null && !KeepDatabase)
        {
            if (_stopped)
            {
                await PostgresTemplate.DropDatabaseAsync(PostgresServer!, _postgresDatabase);
            }
            else
            {
                await DbAsync(db => db.Database.EnsureDeletedAsync());
            }
        }
        await base.DisposeAsync();
        if (!KeepDatabase)
        {
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Leave the data in place on dispose (for restart tests).</summary>
    public bool KeepDatabase { get; set; }
}
