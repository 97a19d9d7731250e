using System.ComponentModel.DataAnnotations;

namespace Parley.Server.Features.Imports.Platforms.Chatwoot;

/// <summary>
/// Bounds of a pull from Chatwoot's API (<c>Parley:Imports:Chatwoot</c>). What is over a count bound is left for the
/// next import (the report's notes say so); an answer over the size bound fails the import with nothing written.
/// </summary>
public sealed class ChatwootImportOptions
{
    public const string Section = "Parley:Imports:Chatwoot";

    /// <summary>The most new conversations one import takes (Chatwoot lists the most recently active first).</summary>
    [Range(1, 100_000)]
    public int MaxConversations { get; set; } = 2000;

    /// <summary>The most messages read of one conversation: its latest ones.</summary>
    [Range(20, 100_000)]
    public int MaxMessagesPerConversation { get; set; } = 2000;

    /// <summary>The most bytes read from Chatwoot in one import, all answers together.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxTotalBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>The largest single answer read from Chatwoot, in bytes (a page holds 25 conversations or 20 messages).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxResponseBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long one request to Chatwoot may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a whole import may read from Chatwoot; what is not read by then is left for the next import.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);
}
