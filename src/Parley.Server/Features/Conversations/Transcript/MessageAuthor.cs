namespace Parley.Server.Features.Conversations.Transcript;

/// <summary>The person who wrote an agent message: the API key they used, or the dashboard user and their name.</summary>
public sealed record MessageAuthor(string? KeyId, string? UserId, string? Name);
