using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Exports;

/// <summary>
/// Which rows an export covers. <see cref="Since"/> and <see cref="Until"/> bound each row's own creation time
/// (inclusive, exclusive); <see cref="BotIds"/> narrows bots, their conversations and what hangs off those, and
/// contacts to the ones who talked to those bots. <see cref="Conversations"/> narrows the conversations entity the way
/// the conversation list does, searching personal data only when <see cref="CallerMayReadPii"/>, with
/// <see cref="ConversationMessageMatches"/> the conversations whose messages contain its <c>q</c>. A filtered export
/// may reference rows it does not contain.
/// </summary>
public sealed record ExportFilter(
    DateTimeOffset? Since, DateTimeOffset? Until, IReadOnlyList<string> BotIds, bool IncludePii, ConversationFilter? Conversations = null,
    bool CallerMayReadPii = false, IReadOnlyList<string>? ConversationMessageMatches = null)
{
    public static ExportFilter Everything(bool includePii) => new(null, null, [], includePii);

    public bool ByBot => BotIds.Count > 0;
}
