using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// What every chunk of one answer repeats: its <c>id</c>, <c>created</c> (Unix seconds) and <c>model</c> (the bot id).
/// Known before the turn runs, so that a reply streamed while a model writes it can begin at once.
/// </summary>
public sealed record CompletionHeader(string Id, long Created, string Model)
{
    public const string CompletionObject = "chat.completion";
    public const string ChunkObject = "chat.completion.chunk";
    public const string FinishReason = "stop";
    public const string AssistantRole = "assistant";

    public static CompletionHeader For(string botId, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return new("chatcmpl-" + Guid.CreateVersion7(now).ToString("N"), now.ToUnixTimeSeconds(), botId);
    }

    public ChatCompletionChunk Chunk(ChatCompletionDelta delta) =>
        new(Id, ChunkObject, Created, Model, [new ChatCompletionChunkChoice(0, delta, null)]);
}

/// <summary>A turn's answer in the protocol's terms, before it is written as one JSON body or as a stream of chunks.</summary>
public sealed record ChatAnswer(CompletionHeader Header, TurnResponse Turn, StageTimings? Timings, int RecognisedMessages, bool Replayed)
{

    /// <summary>
    /// Said when a person has the conversation: the bot stays quiet, but an OpenAI client expects an assistant message.
    /// It is not stored; the person's replies are in the transcript.
    /// </summary>
    public const string HandoffText = "A member of our team has taken over this conversation and will reply here soon.";

    /// <summary>The messages the visitor reads, joined by a blank line as one assistant message.</summary>
    public string Content => Turn.Messages.Count > 0 ? string.Join(Separator, Turn.Messages.Select(m => m.Text))
        : Turn.Conversation.Status == ConversationStatus.Handoff ? HandoffText
        : "";

    public const string Separator = "\n\n";

    /// <summary>The tokens of the replies a model wrote; null when none was.</summary>
    public ChatCompletionUsage? Usage
    {
        get
        {
            var used = Turn.Messages.Where(m => m.Usage is not null).Select(m => m.Usage!).ToList();
            if (used.Count == 0)
            {
                return null;
            }
            var prompt = used.Sum(u => u.PromptTokens);
            var completion = used.Sum(u => u.CompletionTokens);
            return new ChatCompletionUsage(prompt, completion, prompt + completion);
        }
    }

    public ChatCompletionParley Parley => new(
        Turn.Conversation.Id,
        Turn.Conversation,
        Turn.UserMessage.Id,
        Turn.Messages,
        Turn.Messages.Count > 0 ? Turn.Messages[^1].QuickReplies : [],
        [.. Turn.Messages.SelectMany(m => m.Citations ?? [])],
        Timings,
        RecognisedMessages,
        Replayed);

    public ChatCompletion ToCompletion() => new(
        Header.Id, CompletionHeader.CompletionObject, Header.Created, Header.Model,
        [new ChatCompletionChoice(0, new ChatCompletionMessage(CompletionHeader.AssistantRole, Content), CompletionHeader.FinishReason)],
        Usage, Parley);

    public ChatCompletionChunk LastChunk() => new(
        Header.Id, CompletionHeader.ChunkObject, Header.Created, Header.Model,
        [new ChatCompletionChunkChoice(0, new ChatCompletionDelta(), CompletionHeader.FinishReason)], Parley: Parley);

    public ChatCompletionChunk UsageChunk(ChatCompletionUsage usage) =>
        new(Header.Id, CompletionHeader.ChunkObject, Header.Created, Header.Model, [], usage);
}
