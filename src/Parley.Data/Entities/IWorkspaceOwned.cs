namespace Parley.Data.Entities;

/// <summary>A row that belongs to one workspace; every query for it is filtered to the caller's workspace.</summary>
public interface IWorkspaceOwned
{
    string WorkspaceId { get; }
}
