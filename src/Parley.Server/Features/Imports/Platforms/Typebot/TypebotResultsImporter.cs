using System.Security.Cryptography;
using Parley.Data;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Typebot;
using Parley.Server.Features.Leads;

namespace Parley.Server.Features.Imports.Platforms.Typebot;

/// <summary>
/// Imports Typebot's results export into a bot: each row a closed conversation (the column titles asked, the row's
/// answers given), and a lead through <see cref="LeadCapture"/> for each row with an email, all in one save with the
/// import's record. The same file into the same bot changes nothing; a later export adds only its new rows.
/// </summary>
public sealed class TypebotResultsImporter(ParleyDbContext db, TimeProvider time, FlowImporter flows, ImportedConversations conversations, LeadCapture leads)
{
    public const string Source = "typebot";

    public async Task<(PlatformImportResponse Response, bool Created)> ImportAsync(
        ReadOnlyMemory<byte> file, string target, string workspaceId, Func<PlatformImportResponse, Task> save, CancellationToken cancellationToken)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(file.Span));
        if (await flows.FindAsync(Source, sha256, target, cancellationToken) is { } earlier)
        {
            return (earlier, false);
        }
        TypebotResults results;
        try
        {
            results = TypebotResultsCsv.Read(file, time.GetUtcNow());
        }
        catch (ImportFileException e)
        {
            throw FlowImporter.Unimportable(Source, e.Problems);
        }
        var bot = target == FlowImporter.NewBot ? flows.AddBot(workspaceId, "Typebot results") : await flows.TargetAsync(target, cancellationToken);
        var known = (await flows.RecordsAsync(Source, null, cancellationToken))
            .Where(e => e.Record.BotId == bot.Id)
            .SelectMany(e => e.Record.Keys ?? []).Where(k => k.Kind == ImportedSourceKey.Row).Select(k => k.SourceId).ToHashSet();
        var fresh = results.Rows.Where(r => !known.Contains(r.Key)).DistinctBy(r => r.Key).ToList();
        var added = conversations.Add(Source, bot, [.. fresh.Select(r => r.Conversation)]);

        var (created, refused) = (0, 0);
        var rowLeads = fresh.ToDictionary(r => r.Key, r => r.Lead);
        foreach (var conversation in added.Conversations)
        {
            if (rowLeads[conversation.Source.SourceId] is not { } lead)
            {
                continue;
            }
            var capture = await CaptureAsync(bot.Id, conversation, lead, cancellationToken);
            created += capture?.Created == true ? 1 : 0;
            refused += capture is null ? 1 : 0;
        }
        var notes = results.Notes.ToList();
        if (results.Rows.Count > fresh.Count)
        {
            notes.Add($"{results.Rows.Count - fresh.Count} rows were imported into this bot before (or repeat another row) and are not added again.");
        }
        if (refused > 0)
        {
            notes.Add($"{refused} rows collected an email address Parley does not take as one; their conversations are imported without a lead.");
        }
        var record = new PlatformImportRecord(Source, target, bot.Id, bot.Name, null, [], notes)
        {
            Conversations = added.Conversations.Count,
            Messages = added.Messages,
            Contacts = added.Contacts,
            Leads = created,
            Keys = [.. added.Conversations.Select(a => new ImportedSourceKey(ImportedSourceKey.Row, a.Source.SourceId, a.Conversation.Id))],
        };
        var response = flows.AddRecord(workspaceId, sha256, record);
        await save(response);
        return (response, true);
    }

    /// <summary>
    /// The row's lead, captured as a capture-lead block would; a phone number that cannot be read is dropped rather
    /// than the lead, and null is returned when the lead is refused all the same.
    /// </summary>
    private async Task<LeadCaptureResult?> CaptureAsync(string botId, AddedConversation conversation, ImportedLead lead, CancellationToken cancellationToken)
    {
        foreach (var phone in lead.Phone is null ? [null] : new[] { lead.Phone, null })
        {
            try
            {
                return await leads.StageAsync(db, new LeadCaptureRequest(
                    botId, conversation.Conversation.Id, conversation.Contact.Id, lead.Name, lead.Email, phone, lead.Company, lead.Custom), cancellationToken);
            }
            catch (LeadInputException)
            {
            }
        }
        return null;
    }
}
