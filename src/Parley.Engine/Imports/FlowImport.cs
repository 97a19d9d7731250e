namespace Parley.Engine.Imports;

/// <summary>What happened to one block of the source platform's flow.</summary>
public static class ImportOutcome
{
    /// <summary>Carried over as Parley blocks that do the same thing.</summary>
    public const string Created = "created";

    /// <summary>Carried over as Parley blocks that do nearly the same thing; the note says what differs.</summary>
    public const string Approximate = "approximate";

    /// <summary>Not carried over; the note says why.</summary>
    public const string NotCarried = "not_carried";
}

/// <summary>
/// One block of the source flow and what became of it: the Parley blocks made for it (none when it was dropped, merged
/// into another block, or became a wire) and, unless the mapping is exact, why.
/// </summary>
public sealed record ImportedBlock(string Group, string BlockId, string SourceType, string Outcome, IReadOnlyList<string> Nodes, string? Note);

/// <summary>
/// A flow mapped from another platform: the bot's name there, the Parley flow document (validated), every source
/// block's outcome in the order of the source, and notes about the flow as a whole. <see cref="Knowledge"/> holds the
/// texts the bot's knowledge gets with it (a Botpress bot's Q&amp;A, for one), saved in the same transaction.
/// </summary>
public sealed record FlowImport(string Name, string FlowJson, IReadOnlyList<ImportedBlock> Blocks, IReadOnlyList<string> Notes)
{
    public IReadOnlyList<ImportedKnowledge> Knowledge { get; init; } = [];

    /// <summary>Past conversations of the bot on the other platform, saved as closed conversations with their transcripts.</summary>
    public IReadOnlyList<ImportedConversation> Conversations { get; init; } = [];

    /// <summary>The models the source used, each where it was used; the importer makes keyless model providers of them.</summary>
    public IReadOnlyList<ImportedModel> Models { get; init; } = [];
}

/// <summary>
/// A model the source used at one place (<see cref="Group"/> and <see cref="BlockId"/> name it in the report): the
/// platform's name for its provider and the model's name, with the settings it ran with. <see cref="Connection"/> is
/// how Parley reaches that provider, or null when it cannot.
/// </summary>
public sealed record ImportedModel(string Group, string BlockId, string SourceProvider, string Name)
{
    public ImportedModelConnection? Connection { get; init; }

    /// <summary>
    /// Whether the model wrote answers to visitors in the source; false for one that only sorted questions or pulled
    /// values out of them (Dify's question classifier and parameter extractor), whose settings say nothing about
    /// how the bot should answer.
    /// </summary>
    public bool Answers { get; init; } = true;

    public double? Temperature { get; init; }

    public int? MaxTokens { get; init; }
}

/// <summary>
/// How Parley reaches a provider the source named: its <see cref="Kind"/> (<c>openai</c> for an OpenAI-compatible
/// endpoint, or <c>anthropic</c>), the base URL (null for the service's public one, or when only the person who ran
/// it knows it: <see cref="NeedsBaseUrl"/>), and the name a connection made for it gets.
/// </summary>
public sealed record ImportedModelConnection(string Kind, string? BaseUrl, bool NeedsBaseUrl, string ProviderName);

/// <summary>
/// A past conversation: the other platform's id for it and its messages, oldest first. <see cref="Contact"/> is the
/// person it was with, when the platform knew them (an anonymous contact is made otherwise); <see cref="Notes"/> are the
/// agents' internal notes on it, which the visitor never saw.
/// </summary>
public sealed record ImportedConversation(string SourceId, IReadOnlyList<ImportedMessage> Messages)
{
    public ImportedContact? Contact { get; init; }

    public IReadOnlyList<ImportedNote> Notes { get; init; } = [];

    /// <summary>The UTM parameters the conversation came with (<c>source</c>, <c>medium</c>, …), when the platform kept them.</summary>
    public IReadOnlyDictionary<string, string> Utm { get; init; } = new Dictionary<string, string>();
}

/// <summary>Who said a message of a past conversation.</summary>
public static class ImportedRole
{
    public const string User = "user";
    public const string Bot = "bot";

    /// <summary>A person of the business answering the visitor.</summary>
    public const string Agent = "agent";
}

/// <summary>
/// One message of a past conversation: who said it (one of <see cref="ImportedRole"/>), its text and when;
/// <see cref="AuthorName"/> is the agent's name on the other platform, for agent messages.
/// </summary>
public sealed record ImportedMessage(string Role, string Text, DateTimeOffset At, string? AuthorName = null);

/// <summary>A person a past conversation was with: the other platform's id for them and what it knew of them.</summary>
public sealed record ImportedContact(string SourceId, string? Name, string? Email, string? Phone);

/// <summary>An internal note an agent left on a past conversation: its text, the agent's name and when.</summary>
public sealed record ImportedNote(string Text, string? AuthorName, DateTimeOffset At);

/// <summary>A knowledge text for the imported bot: its title and its Markdown.</summary>
public sealed record ImportedKnowledge(string Title, string Markdown);

/// <summary>A source file that cannot be imported, with the reasons, each naming where in the file it is.</summary>
public sealed class ImportFileException(IReadOnlyList<string> problems)
    : Exception("The file cannot be imported: " + string.Join(" ", problems))
{
    public IReadOnlyList<string> Problems { get; } = problems;

    public ImportFileException(string problem) : this([problem])
    {
    }
}
