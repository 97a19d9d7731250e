using Parley.Engine.Responders;
using Parley.Engine.Turns;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// Answers like a bot with a few scripted turns, so the browser sees every kind of reply through the real pipeline:
/// quick replies, Markdown, a long reply that streams in several pieces, and text echoed back (for the XSS tests).
/// Anything else gets the bot's fallback text, as the built-in responder gives.
/// </summary>
public sealed class ScriptedResponder : IResponder
{
    public const string MenuRequest = "What can you do?";
    public const string MenuReply = "I can help with a few things. What would you like to know?";
    public const string HoursChoice = "hours";
    public const string HoursReply = "We're open **Monday to Friday**, 9:00 to 17:00.\nSee [our opening hours](https://example.com/hours) for holidays.";
    public const string EchoPrefix = "echo ";

    public static readonly QuickReply Hours = new("Opening hours", HoursChoice);
    public static readonly QuickReply Pricing = new("Pricing", "pricing");

    public ValueTask<ResponderReply> RespondAsync(ResponderRequest request, CancellationToken cancellationToken)
    {
        var text = request.UserText;
        var reply = text switch
        {
            MenuRequest => new ResponderReply(MenuReply, [Hours, Pricing]),
            HoursChoice => new ResponderReply(HoursReply, []),
            _ when text.StartsWith(EchoPrefix, StringComparison.Ordinal) => new ResponderReply("You said: " + text[EchoPrefix.Length..], []),
            _ => new ResponderReply(request.Bot.FallbackText, []),
        };
        return ValueTask.FromResult(reply);
    }
}
