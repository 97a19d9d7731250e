using Parley.Engine.Imports;

namespace Parley.Server.Features.Imports.Platforms;

/// <summary>
/// An import from another platform and its report: the bot it went into, whether the flow was published, and every
/// source block's outcome (<c>created</c>, <c>approximate</c> or <c>not_carried</c>, with the reason).
/// <c>repeated</c> is true when this file had already been imported into the same target: nothing was changed.
/// <c>knowledge_source_ids</c> lists the knowledge sources the import added to the bot (a Botpress bot's Q&amp;A).
/// <c>model_provider_ids</c> lists the model providers made (without an API key) or reused for the models the source
/// used (a Dify app's); the bot is not switched to them, and the report's <c>model</c> lines say what to do.
/// </summary>
public sealed record PlatformImportResponse(
    string Id, string Source, string Status, string FileSha256, string BotId, string Name, int? PublishedVersion, bool Repeated,
    PlatformImportSummary Summary, IReadOnlyList<ImportedBlock> Blocks, IReadOnlyList<string> Notes, IReadOnlyList<string> KnowledgeSourceIds,
    IReadOnlyList<string> ModelProviderIds, DateTimeOffset CreatedAt)
{
    public static PlatformImportResponse From(string id, string sha256, PlatformImportRecord record, DateTimeOffset createdAt, bool repeated) => new(
        id, record.Source, "succeeded", sha256, record.BotId, record.Name, record.PublishedVersion, repeated,
        PlatformImportSummary.Of(record), record.Blocks, record.Notes, record.KnowledgeSourceIds ?? [], record.ModelProviderIds ?? [], createdAt);
}

/// <summary>
/// How many source blocks were carried over exactly, approximately and not at all, and what else the import added:
/// past conversations with their messages, the contacts made for them, agents' internal notes and leads.
/// <c>skipped_messages</c> counts the source's messages that were read and deliberately left out (Chatwoot's activity
/// messages, empty ones); the notes say which.
/// </summary>
public sealed record PlatformImportSummary(
    int Blocks, int Created, int Approximate, int NotCarried, int Conversations, int Messages, int Contacts, int AgentNotes, int Leads,
    int SkippedMessages)
{
    public static PlatformImportSummary Of(PlatformImportRecord record) => new(
        record.Blocks.Count,
        record.Blocks.Count(b => b.Outcome == ImportOutcome.Created),
        record.Blocks.Count(b => b.Outcome == ImportOutcome.Approximate),
        record.Blocks.Count(b => b.Outcome == ImportOutcome.NotCarried),
        record.Conversations,
        record.Messages,
        record.Contacts,
        record.AgentNotes,
        record.Leads,
        record.SkippedMessages);
}

/// <summary>
/// What is stored with an import from another platform (as the import job's report JSON; <see cref="Source"/> comes
/// first, which tells these reports from those of Parley's own archive imports). <see cref="Target"/> is the bot the
/// caller asked for (<c>new</c> or a bot id): with the file's hash it makes a repeated import find this one.
/// <see cref="KnowledgeSourceIds"/> is null in the records of imports that added no knowledge, made before it existed.
/// </summary>
public sealed record PlatformImportRecord(
    string Source, string Target, string BotId, string Name, int? PublishedVersion, IReadOnlyList<ImportedBlock> Blocks, IReadOnlyList<string> Notes,
    IReadOnlyList<string>? KnowledgeSourceIds = null)
{
    /// <summary>The past conversations the import added (0 in the records of imports made before they were read).</summary>
    public int Conversations { get; init; }

    public int Messages { get; init; }

    public int Contacts { get; init; }

    public int AgentNotes { get; init; }

    public int Leads { get; init; }

    public int SkippedMessages { get; init; }

    /// <summary>The model providers the import made or reused; null when it had none (and in records made before it could).</summary>
    public IReadOnlyList<string>? ModelProviderIds { get; init; }

    /// <summary>
    /// What the import took from the source, by the source's own ids, so that a later import of the same source adds
    /// only what is new (Chatwoot's conversations and contacts, the rows of Typebot's results); null when none.
    /// </summary>
    public IReadOnlyList<ImportedSourceKey>? Keys { get; init; }

    /// <summary>How the stored JSON of a platform import begins.</summary>
    public const string Marker = "{\"source\":";
}

/// <summary>
/// One thing an import took from its source: its <see cref="Kind"/> (<c>conversation</c>, <c>contact</c> or <c>row</c>),
/// the source's id for it, what it became in Parley, and for a conversation the last source message read.
/// </summary>
public sealed record ImportedSourceKey(string Kind, string SourceId, string ParleyId, long? LastMessageId = null)
{
    public const string Conversation = "conversation";
    public const string Contact = "contact";
    public const string Row = "row";
}
