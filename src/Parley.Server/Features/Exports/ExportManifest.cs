using System.Reflection;

namespace Parley.Server.Features.Exports;

/// <summary><c>manifest.json</c>: what the archive holds and how to check it.</summary>
public sealed record ExportManifest(
    int FormatVersion,
    string ParleyVersion,
    DateTimeOffset CreatedAt,
    string WorkspaceId,
    string Pii,
    IReadOnlyList<string> OmittedFields,
    ExportManifestFilter Filter,
    IReadOnlyList<ExportManifestFile> Files,
    IReadOnlyDictionary<string, string> NotIncluded)
{
    public const int CurrentFormatVersion = 1;
    public const string FileName = "manifest.json";

    public static string CurrentParleyVersion { get; } =
        typeof(ExportManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Data Parley has, or will have, that this format version does not carry, and why.</summary>
    public static IReadOnlyDictionary<string, string> NotIncludedNow { get; } = new Dictionary<string, string>
    {
        ["booking_seats"] = "The seats confirmed bookings hold are not a file: bookings.ndjson gives each booking's seat, and an import claims them again.",
        ["knowledge_search_index"] = "The full-text index of knowledge chunks is not a file: knowledge_sources.ndjson gives each source's chunks, and an import indexes them again.",
        ["knowledge_uploaded_files"] = "Uploaded files (PDF, HTML, Markdown, text) are not kept, only the text read from them, which knowledge_sources.ndjson carries.",
        ["api_key_secrets"] = "Secrets, hashes and publishable tokens of API keys never leave the server; api_keys.json holds metadata only and is not imported.",
        ["account_secrets"] = "Password hashes, security stamps, sign-in tokens, authenticator keys, recovery codes and invitation link tokens never leave the server: an import restores users without passwords and invitations without links.",
        ["webhook_secrets"] = "Signing secrets are not exported; an import gives each endpoint a new secret (rotate it to read it).",
        ["email_notifications"] = "The email outbox is delivery state, not data.",
        ["idempotency_records"] = "Stored responses for retried requests expire after 24 hours.",
    };
}

public sealed record ExportManifestFilter(DateTimeOffset? Since, DateTimeOffset? Until, IReadOnlyList<string> BotIds);

/// <summary>One file of the archive: its row count (1 for <c>workspace.json</c>) and SHA-256 of its bytes, in hex.</summary>
public sealed record ExportManifestFile(string Name, string Entity, long Count, long Bytes, string Sha256);
