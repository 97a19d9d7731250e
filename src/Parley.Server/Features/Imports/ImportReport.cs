namespace Parley.Server.Features.Imports;

/// <summary>What an import did with each file's rows.</summary>
public sealed record ImportReport(IReadOnlyDictionary<string, ImportFileReport> Files, IReadOnlyList<string> Notes);

/// <summary>
/// <c>created</c>: new rows; <c>skipped</c>: already in this workspace (an earlier import); <c>remapped</c>: created
/// under a new id because another workspace holds the original (references to it follow); <c>merged</c>: contacts
/// whose <c>external_id</c> already belonged to a contact here, joined to that contact (and users whose email already
/// signs in here); <c>not_restored</c>: rows that could not come over, each named with the reason in the notes.
/// </summary>
public sealed record ImportFileReport(long Rows, long Created, long Skipped, long Remapped, long Merged, long NotRestored = 0);
