using System.Text;
using System.Text.Json;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// A request checked and reduced to what a turn needs: the bot, the visitor's new message (the last user message),
/// the user messages before it (to recognise what the conversation already holds) and how to answer.
/// </summary>
public sealed record ChatRequest(string BotId, string Text, IReadOnlyList<string> EarlierUserTexts, bool Stream, bool IncludeUsage, string? User);

public static class ChatRequestValidation
{
    private const int MaxMessages = 1000;
    private const int MaxUserLength = 200;
    private static readonly HashSet<string> Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static ChatRequest Validate(ChatCompletionRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.Model))
        {
            throw ApiException.Invalid("model", "model is required: the id of the bot that answers (bot_…); GET /v1/openai/models lists them.");
        }
        if (request.Messages is not { Count: > 0 } messages)
        {
            throw ApiException.Invalid("messages", "messages is required: at least one message, the last one from the user.");
        }
        if (messages.Count > MaxMessages)
        {
            throw ApiException.Invalid("messages", $"messages may hold at most {MaxMessages} messages.");
        }
        if (request.N is { } n && n != 1)
        {
            throw ApiException.Invalid("n", "n must be 1: a bot gives one answer.");
        }
        if (request.User is { } user && (user.Trim().Length == 0 || user.Length > MaxUserLength))
        {
            throw ApiException.Invalid("user", $"user must be a non-empty id of at most {MaxUserLength} characters.");
        }

        var userTexts = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw ApiException.Invalid($"messages[{i}]", "Each message must be an object with role and content.");
            if (message.Role is null || !Roles.Contains(message.Role))
            {
                throw ApiException.Invalid($"messages[{i}].role", "role must be system, developer, user, assistant or tool.");
            }
            if (message.Role == "user")
            {
                userTexts.Add(TextOf(message.Content, $"messages[{i}].content"));
            }
        }
        if (messages[^1]!.Role != "user")
        {
            throw ApiException.Invalid($"messages[{messages.Count - 1}].role", "The last message must be the user's: it is the message the bot answers.");
        }
        var field = $"messages[{messages.Count - 1}].content";
        string text;
        try
        {
            text = TurnInputValidator.Validate(new TurnInput(userTexts[^1], Choice: null, Metadata: null));
        }
        catch (TurnRejectedException rejected)
        {
            throw ApiException.Invalid(field, rejected.Message);
        }
        return new ChatRequest(request.Model.Trim(), text, [.. userTexts[..^1].Select(Normalise)], request.Stream == true,
            request.StreamOptions?.IncludeUsage == true, request.User?.Trim());
    }

    /// <summary>An earlier message as the conversation would have stored it, for comparison; one that could not be stored stays as sent.</summary>
    private static string Normalise(string text)
    {
        try
        {
            return TurnInputValidator.Validate(new TurnInput(text, Choice: null, Metadata: null));
        }
        catch (TurnRejectedException)
        {
            return text;
        }
    }

    /// <summary>The text of a message's content: a string, or the text parts of an array joined by line breaks.</summary>
    private static string TextOf(JsonElement? content, string field)
    {
        switch (content?.ValueKind)
        {
            case JsonValueKind.String:
                return content.Value.GetString()!;
            case JsonValueKind.Array:
                var text = new StringBuilder();
                foreach (var part in content.Value.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object
                        || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text"
                        || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                    {
                        throw ApiException.Invalid(field, "Only text content is supported: a string, or parts {\"type\": \"text\", \"text\": \"…\"}.");
                    }
                    if (text.Length > 0)
                    {
                        text.Append('\n');
                    }
                    text.Append(partText.GetString());
                }
                return text.ToString();
            default:
                throw ApiException.Invalid(field, "A user message needs content: a string, or an array of text parts.");
        }
    }
}
