namespace Parley.Client;

/// <summary>An answer and its <c>ETag</c>, to send back as <c>If-Match</c> so that a change applies only to what was read.</summary>
public sealed record ETagged<T>(T Value, string? ETag);
