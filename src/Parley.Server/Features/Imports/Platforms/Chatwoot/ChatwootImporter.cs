using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Ids;
using Parley.Engine.Imports.Chatwoot;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Imports.Platforms.Chatwoot;

/// <summary>
/// Imports a Chatwoot account's contacts and conversations: reads everything first (<see cref="ChatwootApi"/>), then
/// adds it in one save with the import's record. The record keeps Chatwoot's ids of what it took, so the same account
/// imported again adds only what is new: new conversations, and the messages and notes written since in those it has.
/// </summary>
public sealed class ChatwootImporter(
    ParleyDbContext db, ChatwootApi api, FlowImporter flows, ImportedConversations conversations,
    IOptionsMonitor<NetworkOptions> network)
{
    public const string Source = "chatwoot";

    public async Task<(PlatformImportResponse Response, bool Created)> ImportAsync(
        ChatwootImportRequest? request, string workspaceId, Func<PlatformImportResponse, Task> save, CancellationToken cancellationToken)
    {
        var account = Validate(request);
        var target = request!.Bot?.Trim() is { Length: > 0 } botId ? botId : FlowImporter.NewBot;
        var targetBot = target == FlowImporter.NewBot ? null : await flows.TargetAsync(target, cancellationToken);
        var origin = $"{account.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}/accounts/{account.AccountId}";
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(origin)));
        var earlier = await flows.RecordsAsync(Source, sha256, cancellationToken);
        var keys = earlier.SelectMany(e => e.Record.Keys ?? []).GroupBy(k => (k.Kind, k.SourceId)).ToDictionary(g => g.Key, g => g.Last());
        var known = keys.Values.Where(k => k.Kind == ImportedSourceKey.Conversation)
            .ToDictionary(k => long.Parse(k.SourceId, CultureInfo.InvariantCulture), k => k.LastMessageId ?? 0);

        var pull = await api.PullAsync(account, known, cancellationToken);

        var earlierBotId = earlier.Count > 0 ? earlier[^1].Record.BotId : null;
        var bot = targetBot
            ?? (earlierBotId is null ? null : await db.Bots.FirstOrDefaultAsync(b => b.Id == earlierBotId, cancellationToken))
            ?? flows.AddBot(workspaceId, $"Chatwoot ({account.BaseUrl.Host})");
        var byKnown = pull.Conversations.ToLookup(c => known.ContainsKey(long.Parse(c.Conversation.SourceId, CultureInfo.InvariantCulture)));
        var updates = byKnown[true].Where(u => u.Conversation.Messages.Count + u.Conversation.Notes.Count > 0)
            .Select(u => (Update: u, Key: keys[(ImportedSourceKey.Conversation, u.Conversation.SourceId)])).ToList();
        var updatedIds = updates.Select(u => u.Key.ParleyId).ToList();
        var existing = await db.Conversations.Where(c => updatedIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var taken = new List<ImportedSourceKey>();
        var (messages, notes) = (0, 0);
        // A conversation erased in Parley since is not brought back.
        foreach (var (update, key) in updates.Where(u => existing.ContainsKey(u.Key.ParleyId)))
        {
            messages += conversations.Append(existing[key.ParleyId], update.Conversation.Messages);
            notes += conversations.AddNotes(existing[key.ParleyId], update.Conversation.Notes);
            taken.Add(key with { LastMessageId = update.LastMessageId });
        }

        var fresh = byKnown[false].ToList();
        var contacts = await ContactsAsync(keys, fresh, cancellationToken);
        var added = conversations.Add(Source, bot, [.. fresh.Select(c => c.Conversation)], contacts);
        var lastIds = fresh.ToDictionary(c => c.Conversation.SourceId, c => c.LastMessageId);
        taken.AddRange(added.Conversations.Select(a =>
            new ImportedSourceKey(ImportedSourceKey.Conversation, a.Source.SourceId, a.Conversation.Id, lastIds[a.Source.SourceId])));
        taken.AddRange(added.Conversations.Where(a => a.Source.Contact is not null).Select(a => a.Source.Contact!.SourceId).Distinct()
            .Where(id => !keys.ContainsKey((ImportedSourceKey.Contact, id)) || contacts[id].Id != keys[(ImportedSourceKey.Contact, id)].ParleyId)
            .Select(id => new ImportedSourceKey(ImportedSourceKey.Contact, id, contacts[id].Id)));

        if (taken.Count == 0 && earlier.Count > 0)
        {
            var last = earlier[^1];
            return (PlatformImportResponse.From(last.Job.Id, sha256, last.Record, last.Job.CreatedAt, repeated: true), false);
        }
        var activity = pull.Conversations.Sum(c => c.ActivityMessages);
        var empty = pull.Conversations.Sum(c => c.EmptyMessages);
        var record = new PlatformImportRecord(Source, target, bot.Id, bot.Name, null, [], [.. Notes(pull, activity, empty)])
        {
            Conversations = added.Conversations.Count,
            Messages = messages + added.Messages,
            Contacts = added.Contacts,
            AgentNotes = notes + added.Notes,
            SkippedMessages = activity + empty,
            Keys = taken,
        };
        var response = flows.AddRecord(workspaceId, sha256, record);
        await save(response);
        return (response, true);
    }

    private ChatwootAccount Validate(ChatwootImportRequest? request)
    {
        var errors = new Dictionary<string, string[]>();
        if (request?.Url is not { Length: > 0 } url)
        {
            errors["url"] = ["url is required: the address Chatwoot is served on, such as https://chatwoot.example."];
        }
        else if (OutboundAddressPolicy.Problem(url.Trim(), network.CurrentValue.AllowPrivateTargets) is { } problem)
        {
            errors["url"] = [$"url {problem}."];
        }
        if (request?.AccountId is not > 0)
        {
            errors["account_id"] = ["account_id is required: the number of the Chatwoot account (in its addresses, /app/accounts/1/…)."];
        }
        if (request?.AccessToken?.Trim() is not { Length: > 0 and <= 512 } token || token.Any(char.IsControl))
        {
            errors["access_token"] = ["access_token is required: the access token of a user of the account (Chatwoot: Profile settings → Access token), at most 512 characters."];
        }
        if (request?.InboxId is <= 0)
        {
            errors["inbox_id"] = ["inbox_id must be the number of an inbox of the account."];
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }
        return new ChatwootAccount(new Uri(request!.Url!.Trim()), request.AccountId!.Value, request.AccessToken!.Trim(), request.InboxId);
    }

    /// <summary>The contacts earlier imports made for the people of these conversations, by Chatwoot's id, where they still exist.</summary>
    private async Task<Dictionary<string, Contact>> ContactsAsync(
        Dictionary<(string Kind, string SourceId), ImportedSourceKey> keys, List<ChatwootConversation> fresh, CancellationToken cancellationToken)
    {
        var wanted = fresh.Select(c => c.Conversation.Contact?.SourceId).OfType<string>().Distinct()
            .Where(id => keys.ContainsKey((ImportedSourceKey.Contact, id)))
            .ToDictionary(id => keys[(ImportedSourceKey.Contact, id)].ParleyId, id => id);
        var found = await db.Contacts.Where(c => wanted.Keys.Contains(c.Id)).ToListAsync(cancellationToken);
        return found.ToDictionary(c => wanted[c.Id], c => c);
    }

    private static IEnumerable<string> Notes(ChatwootPull pull, int activity, int empty)
    {
        yield return "Chatwoot's conversations are carried over closed, whatever their status there, on the channel api; each message keeps its time, "
            + "incoming messages are the contact's, outgoing ones the agent's who wrote them (a bot's or an automation's otherwise), and private notes are the conversation's internal notes.";
        if (activity > 0)
        {
            yield return $"{activity} activity messages (assignments, status and label changes) are not carried over.";
        }
        if (empty > 0)
        {
            yield return $"{empty} messages with neither text nor an attachment are not carried over.";
        }
        foreach (var note in pull.Notes)
        {
            yield return note;
        }
        yield return "Not carried over: labels, custom attributes, teams and assignments, CSAT ratings, and attachments' files (a message links to them in Chatwoot).";
    }
}
