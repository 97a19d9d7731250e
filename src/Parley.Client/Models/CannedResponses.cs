namespace Parley.Client.Models;

public sealed record CreateCannedResponseRequest(string? Shortcut = null, string? Text = null);

public sealed record UpdateCannedResponseRequest(string? Shortcut = null, string? Text = null);

/// <summary>A reply the workspace keeps ready; agents insert it by typing <c>/</c> and its shortcut.</summary>
public sealed record CannedResponseResponse(string Id, string Shortcut, string Text, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
