namespace Parley.Data.Tenancy;

/// <summary>
/// The workspace of the current request, set once the caller is authenticated. The database context filters every
/// workspace-owned query by it, so a row of another workspace is simply not found.
/// </summary>
public sealed class WorkspaceScope
{
    public string? WorkspaceId { get; private set; }

    public void Enter(string workspaceId)
    {
        if (WorkspaceId is not null && WorkspaceId != workspaceId)
        {
            throw new InvalidOperationException("A request cannot change workspace.");
        }
        WorkspaceId = workspaceId;
    }
}
