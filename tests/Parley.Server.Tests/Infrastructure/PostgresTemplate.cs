using System.Reflection;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Parley.Data;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A migrated, empty PostgreSQL database that each test's database is copied from with <c>CREATE DATABASE … TEMPLATE</c>:
/// a copy takes a fraction of running every migration for each of the hundreds of servers the suite starts. The server
/// still runs its own migration step on the copy, which finds nothing to do, and seeds it as on a fresh install.
/// </summary>
internal static class PostgresTemplate
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _name;

    /// <summary>Creates <paramref name="database"/> on <paramref name="server"/> as a copy of the migrated template.</summary>
    public static async Task CreateDatabaseAsync(string server, string database)
    {
        var template = await EnsureTemplateAsync(server);
        await ExecuteAsync(server, $"CREATE DATABASE \"{database}\" TEMPLATE \"{template}\"");
    }

    /// <summary>Drops <paramref name="database"/>, cutting off any connection still open to it.</summary>
    public static Task DropDatabaseAsync(string server, string database) =>
        ExecuteAsync(server, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");

    private static async Task<string> EnsureTemplateAsync(string server)
    {
        await Gate.WaitAsync();
        try
        {
            return _name ??= await CreateTemplateAsync(server);
        }
        finally
        {
            Gate.Release();
        }
    }

    // Named after the migrations it holds (the build is deterministic), so a later run on the same server reuses it
    // and a changed migration gets a template of its own. It is migrated under a temporary name and renamed when
    // complete, so a run that stops half way, or another run racing this one, never leaves a half-migrated template.
    private static async Task<string> CreateTemplateAsync(string server)
    {
        var migrations = Assembly.Load(DatabaseRegistration.PostgresMigrationsAssembly).Location;
        var name = "parley_template_" + Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(migrations)))[..16];
        if (await ExistsAsync(server, name))
        {
            return name;
        }

        var building = name + "_" + Guid.NewGuid().ToString("N")[..8];
        var services = new ServiceCollection()
            .AddParleyDatabase(DatabaseProvider.Postgres, $"{server};Database={building};Pooling=false")
            .BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ParleyDbContext>().Database.MigrateAsync();
        }
        await services.DisposeAsync();
        try
        {
            await ExecuteAsync(server, $"ALTER DATABASE \"{building}\" RENAME TO \"{name}\"");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            await ExecuteAsync(server, $"DROP DATABASE \"{building}\"");
        }
        return name;
    }

    private static async Task<bool> ExistsAsync(string server, string database)
    {
        await using var connection = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        command.Parameters.AddWithValue("name", database);
        return await command.ExecuteScalarAsync() is not null;
    }

    private static async Task ExecuteAsync(string server, string sql)
    {
        await using var connection = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
