using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Protection;

namespace Parley.Server.Infrastructure.Persistence;

public static class DatabaseSetup
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var storage = StorageOptions.From(configuration);
        services.AddSingleton(storage);
        services.AddParleyDatabase(storage.Provider, storage.ConnectionString!);
        services.AddOptions<EncryptionOptions>().BindConfiguration(EncryptionOptions.Section);
        services.AddSingleton<FieldCipher>();
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>, KeyRingEncryptionSetup>();
        services.AddScoped<WorkspaceSeeder>();
        return services;
    }

    /// <summary>Creates the data directory, brings the schema up to date and seeds an empty database. Runs before the server listens.</summary>
    public static async Task InitializeStorageAsync(this WebApplication app)
    {
        var storage = app.Services.GetRequiredService<StorageOptions>();
        Directory.CreateDirectory(storage.DataDirectory);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        if (storage.Provider == DatabaseProvider.Sqlite)
        {
            var file = new SqliteConnectionStringBuilder(storage.ConnectionString).DataSource;
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }
            // WAL is a property of the file: readers never block the writer and commits are cheap.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync();
        await FieldEncryption.InitializeAsync(scope.ServiceProvider, db, CancellationToken.None);
        await scope.ServiceProvider.GetRequiredService<WorkspaceSeeder>().SeedIfEmptyAsync(CancellationToken.None);
    }
}
