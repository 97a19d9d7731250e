namespace Parley.Data;

/// <summary>The databases Parley runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>A SQLite file: the embedded default.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for several nodes and larger workspaces.</summary>
    Postgres,
}
