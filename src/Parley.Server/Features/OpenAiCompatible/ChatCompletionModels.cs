using System.Text.Json;
using System.Text.Json.Serialization;
using Parley.Engine.Turns;
using Parley.Server.Features.Conversations;

namespace Parley.Server.Features.OpenAiCompatible;

/// <summary>
/// A Chat Completions request. <c>model</c> is a bot id; the last message must be the user's. <c>user</c> is the end
/// user's stable id (the contact's <c>external_id</c>), which finds their conversation with the bot. Other members of
/// the protocol (temperature, tools, …) are accepted and ignored: the bot's own settings apply.
/// </summary>
public sealed record ChatCompletionRequest(
    string? Model = null,
    IReadOnlyList<ChatMessageInput?>? Messages = null,
    bool? Stream = null,
    ChatStreamOptions? StreamOptions = null,
    string? User = null,
    int? N = null);

/// <summary>One message of the request: <c>role</c> (system, developer, user, assistant, tool) and <c>content</c>, a string or text parts.</summary>
public sealed record ChatMessageInput(string? Role = null, JsonElement? Content = null, string? Name = null);

/// <summary>With <c>include_usage</c>, a streamed answer ends with a chunk that holds the token usage and no choices.</summary>
public sealed record ChatStreamOptions(bool? IncludeUsage = null);

/// <summary>
/// The answer in the Chat Completions shape: one choice holding the bot's reply (several replies of one turn are
/// joined by a blank line), and Parley's own account of the turn under <c>parley</c>.
/// </summary>
public sealed record ChatCompletion(
    string Id,
    [property: JsonPropertyName("object")] string Kind,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatCompletionUsage? Usage,
    ChatCompletionParley Parley);

public sealed record ChatCompletionChoice(int Index, ChatCompletionMessage Message, string FinishReason);

public sealed record ChatCompletionMessage(string Role, string Content);

/// <summary>Tokens a model used for the turn's replies; left out when no model wrote them (the built-in answerer, flows).</summary>
public sealed record ChatCompletionUsage(int PromptTokens, int CompletionTokens, int TotalTokens);

/// <summary>
/// Parley's side of the answer: the conversation (<c>conversation_id</c>, and the conversation itself with its status
/// and handoff), the stored user message, the bot's messages as stored (with quick replies and citations), all
/// citations and the last message's quick replies, the milliseconds of each turn stage, how many of the request's earlier
/// user messages the conversation already held, and whether the answer was read from the transcript (a resent request).
/// </summary>
public sealed record ChatCompletionParley(
    string ConversationId,
    ConversationResponse Conversation,
    string UserMessageId,
    IReadOnlyList<MessageResponse> Messages,
    IReadOnlyList<QuickReplyResponse> QuickReplies,
    IReadOnlyList<CitationResponse> Citations,
    [property: JsonConverter(typeof(StageTimingsJsonConverter))] StageTimings? Timings,
    int RecognisedMessages,
    bool Replayed);

/// <summary>One server-sent event of a streamed answer. The last one with choices has <c>finish_reason</c> and <c>parley</c>.</summary>
public sealed record ChatCompletionChunk(
    string Id,
    [property: JsonPropertyName("object")] string Kind,
    long Created,
    string Model,
    IReadOnlyList<ChatCompletionChunkChoice> Choices,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatCompletionUsage? Usage = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ChatCompletionParley? Parley = null);

public sealed record ChatCompletionChunkChoice(int Index, ChatCompletionDelta Delta, string? FinishReason);

public sealed record ChatCompletionDelta(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Role = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Content = null);

/// <summary>A bot as a model: <c>id</c> is the bot id, <c>name</c> the bot's name.</summary>
public sealed record OpenAiModel(string Id, [property: JsonPropertyName("object")] string Kind, long Created, string OwnedBy, string Name);

public sealed record OpenAiModelList([property: JsonPropertyName("object")] string Kind, IReadOnlyList<OpenAiModel> Data);

/// <summary>An error in the protocol's shape: <c>{"error": {"message", "type", "param", "code"}}</c>.</summary>
public sealed record OpenAiErrorResponse(OpenAiError Error);

/// <summary>
/// <c>type</c> is the protocol's class of error (<c>invalid_request_error</c>, <c>authentication_error</c>,
/// <c>permission_error</c>, <c>not_found_error</c>, <c>rate_limit_error</c>, <c>insufficient_quota</c>,
/// <c>server_error</c>, <c>service_unavailable</c>); <c>code</c> is Parley's stable error code (or
/// <c>model_not_found</c>); <c>param</c> names the field at fault.
/// </summary>
public sealed record OpenAiError(string Message, string Type, string? Param, string Code);
