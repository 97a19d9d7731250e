using Parley.Data.Entities;
using Parley.Server.Features.Bots;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.Widget;

/// <summary>
/// Open (or resume) a widget session with a publishable key. Send the <c>session_token</c> the widget stored to
/// continue the same conversation after a reload or in another tab.
/// </summary>
public sealed record CreateWidgetSessionRequest(string? SessionToken = null, WidgetContactInput? Contact = null, ConversationMetadataInput? Metadata = null);

/// <summary>What the visitor told the widget about themselves. There is no external id: a web page cannot be trusted with one.</summary>
public sealed record WidgetContactInput(string? Name = null, string? Email = null, string? Phone = null);

/// <summary>What the widget needs to draw itself: the bot's name, greeting and theme.</summary>
public sealed record WidgetBot(string Id, string Name, string? Greeting, BotThemeDto Theme)
{
    public static WidgetBot From(Bot bot) => new(bot.Id, bot.Name, bot.Greeting, BotThemeDto.From(bot.Theme));
}

/// <summary>
/// A session: the token authorizes this visitor's conversation (send it as <c>Authorization: Bearer wst_…</c>),
/// with the conversation, its transcript so far and what the widget needs to draw itself.
/// </summary>
public sealed record WidgetSessionResponse(
    string SessionToken,
    bool Resumed,
    ConversationResponse Conversation,
    IReadOnlyList<MessageResponse> Messages,
    WidgetBot Bot);
