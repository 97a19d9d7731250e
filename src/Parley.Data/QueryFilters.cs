namespace Parley.Data;

/// <summary>Names of the global query filters, for the rare query that must see past one.</summary>
public static class QueryFilters
{
    /// <summary>Only rows of the current request's workspace.</summary>
    public const string Workspace = "workspace";

    /// <summary>Only rows that are not soft-deleted.</summary>
    public const string NotDeleted = "not_deleted";
}
