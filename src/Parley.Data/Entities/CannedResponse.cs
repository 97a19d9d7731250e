namespace Parley.Data.Entities;

/// <summary>
/// A reply the workspace keeps ready for its agents: they find it in the reply box by typing <c>/</c> and its
/// <see cref="Shortcut"/>, then edit and send it as their own message.
/// </summary>
public sealed class CannedResponse : IWorkspaceOwned, IHasId
{
    public required string Id { get; init; }
    public required string WorkspaceId { get; init; }

    /// <summary>A short word, unique in the workspace (<c>hours</c>, <c>refund-policy</c>).</summary>
    public required string Shortcut { get; set; }
    public required string Text { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>How long a canned response's parts may be: the column sizes and the API's validation agree.</summary>
public static class CannedResponseLimits
{
    public const int ShortcutLength = 40;
    public const int TextLength = 4000;
}
