using System.ComponentModel.DataAnnotations;
using Parley.Data;

namespace Parley.Server.Infrastructure.Persistence;

/// <summary>Where Parley keeps its data (<c>Parley:DataDirectory</c>, <c>Parley:Database:Provider</c>, <c>ConnectionStrings:Parley</c>).</summary>
public sealed class StorageOptions
{
    /// <summary>The folder for the SQLite database and the admin key file; created if missing.</summary>
    [Required]
    public string DataDirectory { get; set; } = "./data";

    /// <summary><c>sqlite</c> (the default) or <c>postgres</c>.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The connection string; for SQLite it defaults to <c>parley.db</c> in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public static StorageOptions From(IConfiguration configuration)
    {
        var options = new StorageOptions
        {
            DataDirectory = configuration["Parley:DataDirectory"] is { Length: > 0 } dir ? dir : "./data",
            ConnectionString = configuration.GetConnectionString("Parley"),
        };
        var provider = configuration["Parley:Database:Provider"];
        if (!string.IsNullOrEmpty(provider))
        {
            options.Provider = provider.ToLowerInvariant() switch
            {
                "sqlite" => DatabaseProvider.Sqlite,
                "postgres" or "postgresql" => DatabaseProvider.Postgres,
                _ => throw new InvalidOperationException($"Parley:Database:Provider must be 'sqlite' or 'postgres', not '{provider}'."),
            };
        }
        if (options.Provider == DatabaseProvider.Postgres && string.IsNullOrEmpty(options.ConnectionString))
        {
            throw new InvalidOperationException("Parley:Database:Provider is 'postgres' but ConnectionStrings:Parley is not set.");
        }
        options.ConnectionString ??= $"Data Source={Path.Combine(options.DataDirectory, "parley.db")}";
        return options;
    }
}
