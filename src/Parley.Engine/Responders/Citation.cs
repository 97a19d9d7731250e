namespace Parley.Engine.Responders;

/// <summary>Where part of an answer comes from: a knowledge source and the words quoted from it.</summary>
public sealed record Citation(string SourceId, string Title, string? Url, string Excerpt);
