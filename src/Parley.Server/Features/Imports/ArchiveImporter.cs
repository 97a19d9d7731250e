using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Webhooks;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Features.Exports;
using Parley.Server.Features.Webhooks;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Imports;

/// <summary>
/// Writes a validated archive into a workspace in one transaction: all of it or nothing. Rows keep their ids; a row
/// already here is skipped (so a second import of the same archive changes nothing); an id held by another workspace
/// is replaced by <see cref="ImportIds.Remap"/> and every reference to it follows. API keys are not imported (the
/// archive holds no secrets); webhook endpoints get new signing secrets. Events are history: they are not delivered
/// to webhooks or emailed again, while delivery log rows come over as they were. Dashboard users come without passwords
/// and invitations without links (see <see cref="ImportUsersAsync"/>); the audit log comes over as it was.
/// </summary>
public sealed class ArchiveImporter(
    ParleyDbContext db, WebhookSecrets secrets, WebhookSubscriptions subscriptions, OutboxInterceptor outbox, TimeProvider time)
{
    private const int BatchSize = 1000;

    private readonly Dictionary<string, string> _remapped = new(StringComparer.Ordinal);

    /// <summary>Users of the archive that were not restored: references to them are left empty (see <see cref="MapUser"/>).</summary>
    private readonly HashSet<string> _usersNotRestored = new(StringComparer.Ordinal);
    private readonly List<string> _notes = [];

    /// <summary>
    /// Imports the archive and records <paramref name="job"/> (made from the report) in the same transaction;
    /// <paramref name="fileDone"/> hears each file's name and row count as it is written; <paramref name="save"/> saves the
    /// last changes before the commit (the HTTP import stores its idempotent response with them).
    /// <paramref name="maxRoleRank"/> is the highest role (<see cref="Roles.Rank"/>) the importer may give: users above it are not restored.
    /// </summary>
    public async Task<ImportJob> ImportAsync(
        ArchiveReader archive, string workspaceId, Func<ImportReport, ImportJob> job, CancellationToken cancellationToken,
        Action<string, long>? fileDone = null, Func<ImportJob, Task>? save = null, int maxRoleRank = int.MaxValue)
    {
        var files = new Dictionary<string, ImportFileReport>();
        // New endpoints' secrets are protected inside the transaction; on a new database the first protection creates
        // the key ring, which is written through another connection that would wait on the transaction's write lock.
        _ = secrets.Protect(WebhookSignature.NewSecret());
        using var history = outbox.ImportingHistory(db);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ImportWorkspaceSettingsAsync(archive.Workspace, workspaceId, cancellationToken);
        await RemapKnowledgeSourcesAsync(archive, workspaceId, cancellationToken);
        foreach (var file in ExportArchiveWriter.Files)
        {
            if (file.Entity == ExportEntities.ApiKeys)
            {
                continue;
            }
            if (file.Entity == ExportEntities.Users)
            {
                files[file.Name] = await ImportUsersAsync(archive, file, workspaceId, maxRoleRank, cancellationToken);
                fileDone?.Invoke(file.Name, files[file.Name].Rows);
                continue;
            }
            if (file.Entity == ExportEntities.UsageCounters)
            {
                files[file.Name] = await ImportUsageCountersAsync(archive, file, workspaceId, cancellationToken);
                fileDone?.Invoke(file.Name, files[file.Name].Rows);
                continue;
            }
            var counter = new FileCounter();
            var batch = new List<object>(BatchSize);
            await foreach (var row in archive.RecordsAsync(file, cancellationToken))
            {
                batch.Add(row);
                if (batch.Count == BatchSize)
                {
                    await ImportBatchAsync(batch, workspaceId, counter, cancellationToken);
                    batch.Clear();
                }
            }
            await ImportBatchAsync(batch, workspaceId, counter, cancellationToken);
            files[file.Name] = counter.ToReport();
            fileDone?.Invoke(file.Name, counter.Rows);
        }
        var report = new ImportReport(files,
        [
            "api_keys.json is not imported: keys hold secrets that never leave a server. Create new keys here.",
            "Webhook endpoints have new signing secrets: rotate each endpoint's secret to read it and give it to the receiver.",
            "Model providers come without API keys, which never leave a server: set each one's api_key again.",
            .. _notes,
        ]);
        var record = job(report);
        db.ImportJobs.Add(record);
        db.ChangeTracker.DetectChanges();
        await (save?.Invoke(record) ?? db.SaveChangesAsync(cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        subscriptions.Evict(workspaceId);
        return record;
    }

    /// <summary>
    /// Usage counters are keyed by month and metric, not by id: each takes the larger of the value here and the
    /// archive's, so an import into a new workspace restores them exactly and importing the same archive again
    /// changes nothing (counts are never added twice).
    /// </summary>
    private async Task<ImportFileReport> ImportUsageCountersAsync(
        ArchiveReader archive, ArchiveFile file, string workspaceId, CancellationToken cancellationToken)
    {
        var counter = new FileCounter();
        var existing = await db.UsageCounters.IgnoreQueryFilters().Where(c => c.WorkspaceId == workspaceId)
            .ToDictionaryAsync(c => (c.Period, c.Metric), cancellationToken);
        var line = 0;
        await foreach (var row in archive.RecordsAsync(file, cancellationToken))
        {
            line++;
            var record = (UsageCounterRecord)row;
            if (!record.IsValid())
            {
                throw ArchiveReader.Invalid($"{file.Name} line {line} names no known month and metric, or has a negative value.");
            }
            counter.Rows++;
            if (existing.TryGetValue((record.Period, record.Metric), out var here))
            {
                if (here.Value >= record.Value)
                {
                    counter.Skipped++;
                    continue;
                }
                here.Value = record.Value;
                db.Entry(here).State = EntityState.Modified;
                counter.Merged++;
                continue;
            }
            var added = new UsageCounter { WorkspaceId = workspaceId, Period = record.Period, Metric = record.Metric, Value = record.Value };
            db.UsageCounters.Add(added);
            existing[(record.Period, record.Metric)] = added;
            counter.Created++;
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return counter.ToReport();
    }

    /// <summary>
    /// Users keep their ids, emails, names and roles but come without passwords (hashes never leave a server): each must
    /// set one through a password reset link, and the report says so per user. An email signs in to one account only,
    /// so a user whose email already has an account here is joined to it, and one whose email signs in to another
    /// workspace of this server is not restored. Nor is one without an email (an archive without personal data), or
    /// one whose role is above the importer's. References to a user who is not restored (assignments, authorship, the
    /// audit log's actor and target) are left empty, as no user here stands for them; invitations keep the archive's
    /// <c>invited_by</c>, which is required and may name a key, never imported either.
    /// </summary>
    /// <remarks>
    /// Not folded into <see cref="ImportBatchAsync"/>: whether a user is restored depends on their email across every
    /// workspace of the server and on the importer's role, and every user must be settled before the rows that name them.
    /// </remarks>
    private async Task<ImportFileReport> ImportUsersAsync(
        ArchiveReader archive, ArchiveFile file, string workspaceId, int maxRoleRank, CancellationToken cancellationToken)
    {
        var counter = new FileCounter();
        var records = new List<UserRecord>();
        await foreach (var row in archive.RecordsAsync(file, cancellationToken))
        {
            records.Add((UserRecord)row);
        }
        counter.Rows = records.Count;
        var ids = records.Select(r => r.Id).ToList();
        var remapIds = ids.Select(id => ImportIds.Remap(id, workspaceId)).ToList();
        var emails = records.Where(r => r.Email is not null).Select(r => r.Email!.Trim().ToUpperInvariant()).ToList();
        var owners = await db.Users.Where(u => ids.Contains(u.Id) || remapIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.WorkspaceId, cancellationToken);
        var byEmail = await db.Users.Where(u => u.NormalizedEmail != null && emails.Contains(u.NormalizedEmail))
            .ToDictionaryAsync(u => u.NormalizedEmail!, u => (u.Id, u.WorkspaceId), cancellationToken);
        foreach (var record in records)
        {
            if (owners.GetValueOrDefault(record.Id) == workspaceId)
            {
                counter.Skipped++;
                continue;
            }
            var newId = owners.ContainsKey(record.Id) ? ImportIds.Remap(record.Id, workspaceId) : null;
            if (newId is not null && owners.ContainsKey(newId))
            {
                _remapped[record.Id] = newId;
                counter.Skipped++;
                continue;
            }
            if (record.Email is null)
            {
                UserNotRestored(counter, record.Id, $"User {record.Id} ({record.Role}) was not restored: the archive was exported without personal data, so it has no email to sign in with.");
                continue;
            }
            var email = record.Email.Trim();
            if (byEmail.TryGetValue(email.ToUpperInvariant(), out var existing))
            {
                if (existing.WorkspaceId == workspaceId)
                {
                    _remapped[record.Id] = existing.Id;
                    counter.Merged++;
                    continue;
                }
                UserNotRestored(counter, record.Id, $"User {email} ({record.Role}) was not restored: that email already signs in to another workspace of this server, and an email belongs to one account.");
                continue;
            }
            if (Roles.Rank(record.Role) > maxRoleRank)
            {
                UserNotRestored(counter, record.Id, $"User {email} ({record.Role}) was not restored: only an owner's import may give the role {record.Role}.");
                continue;
            }
            db.Users.Add(record.ToEntity(newId ?? record.Id, workspaceId, email));
            if (newId is null)
            {
                counter.Created++;
            }
            else
            {
                _remapped[record.Id] = newId;
                counter.Remapped++;
            }
            _notes.Add($"User {email} ({record.Role}) was restored without a password: they sign in once they set one through a password reset link "
                + $"(an owner or admin makes one on the Team page, or they use \"Forgot password\" when email is set up){(record.TwoFactorEnabled ? ", then set up two-factor sign-in again" : "")}.");
        }
        if (_usersNotRestored.Count > 0)
        {
            _notes.Add("Conversations assigned to users who were not restored are unassigned, and the messages, notes and audit entries of those users name no user.");
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return counter.ToReport();
    }

    private void UserNotRestored(FileCounter counter, string userId, string why)
    {
        _usersNotRestored.Add(userId);
        NotRestored(counter, why);
    }

    private void NotRestored(FileCounter counter, string why)
    {
        counter.NotRestored++;
        _notes.Add(why);
    }

    /// <summary>
    /// Notification addresses are joined. The archive's assignment rules are taken when this workspace never set its
    /// own; rules set here stay, as a setting someone chose here, and the report says so when they differ.
    /// </summary>
    private async Task ImportWorkspaceSettingsAsync(WorkspaceRecord source, string workspaceId, CancellationToken cancellationToken)
    {
        var target = await db.Workspaces.SingleAsync(w => w.Id == workspaceId, cancellationToken);
        var emails = target.NotificationEmails.Union(source.NotificationEmails, StringComparer.OrdinalIgnoreCase).ToList();
        if (emails.Count != target.NotificationEmails.Count)
        {
            target.NotificationEmails = emails;
        }
        if (source.AssignmentRules is { } rules)
        {
            var here = await db.AssignmentRules.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.WorkspaceId == workspaceId, cancellationToken);
            if (here is null)
            {
                db.AssignmentRules.Add(rules.ToEntity(workspaceId));
            }
            else if (AssignmentRulesRecord.From(here).ToRules() != rules.ToRules())
            {
                _notes.Add("This workspace's assignment rules were kept; the archive's (capacity, auto-assignment, reassignment) were not applied.");
            }
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private async Task ImportBatchAsync(List<object> batch, string workspaceId, FileCounter report, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }
        report.Rows += batch.Count;
        var ids = batch.Select(IdOf).ToList();
        var owners = await OwnersAsync(batch[0], ids, cancellationToken);
        var remaps = ids.Where(id => owners.TryGetValue(id, out var owner) && owner != workspaceId)
            .ToDictionary(id => id, id => ImportIds.Remap(id, workspaceId));
        var remapOwners = remaps.Count == 0 ? [] : await OwnersAsync(batch[0], [.. remaps.Values], cancellationToken);
        var merges = batch[0] is ContactRecord ? await ContactsByExternalIdAsync(batch.Cast<ContactRecord>(), cancellationToken) : [];
        var leadMerges = batch[0] is LeadRecord ? await LeadsByEmailAsync(batch.Cast<LeadRecord>(), cancellationToken) : [];
        var shortcuts = batch[0] is CannedResponseRecord
            ? (await db.CannedResponses.AsNoTracking().Select(r => r.Shortcut).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal)
            : [];

        foreach (var record in batch)
        {
            var id = IdOf(record);
            if (owners.GetValueOrDefault(id) == workspaceId)
            {
                report.Skipped++;
                continue;
            }
            if (remaps.TryGetValue(id, out var newId))
            {
                _remapped[id] = newId;
                if (remapOwners.ContainsKey(newId))
                {
                    report.Skipped++;
                    continue;
                }
            }
            if (record is ContactRecord { ExternalId: { } externalId } && merges.TryGetValue(externalId, out var existing))
            {
                _remapped[id] = existing;
                report.Merged++;
                continue;
            }
            if (record is LeadRecord { Email: { } email } && db.Cipher?.EmailIndex(email) is { } index && leadMerges.TryGetValue(index, out var existingLead))
            {
                // One lead per email and workspace: the lead already here stands for this one.
                _remapped[id] = existingLead;
                report.Merged++;
                continue;
            }
            if (record is InvitationRecord { Email: null } withoutEmail)
            {
                NotRestored(report, $"Invitation {withoutEmail.Id} ({withoutEmail.Role}) was not restored: the archive was exported without personal data, so it has no email.");
                continue;
            }
            if (record is InvitationRecord invitation && invitation.IsPending(time.GetUtcNow()))
            {
                _notes.Add($"The invitation of {invitation.Email} ({invitation.Role}) was restored without its link, whose token never leaves a server: revoke it and invite them again.");
            }
            if (record is CannedResponseRecord canned && !shortcuts.Add(canned.Shortcut))
            {
                // One canned response per shortcut and workspace: the one already here stays.
                report.Merged++;
                continue;
            }
            var entity = ToEntity(record, newId ?? id, workspaceId);
            db.Add(entity);
            if (record is KnowledgeSourceRecord source && entity is KnowledgeSource added)
            {
                db.AddRange(source.ChunkEntities(workspaceId, added.BotId, added.Id));
            }
            if (entity is Booking { Status: "confirmed" } booking)
            {
                await ClaimSeatAsync(booking, cancellationToken);
            }
            if (newId is null)
            {
                report.Created++;
            }
            else
            {
                report.Remapped++;
            }
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Knowledge sources are imported after the bots, whose flows name them in <c>knowledge_source_ids</c>: the new ids
    /// of sources whose ids another workspace holds are settled first, so the flows are rewritten as the bots come in.
    /// </summary>
    private async Task RemapKnowledgeSourcesAsync(ArchiveReader archive, string workspaceId, CancellationToken cancellationToken)
    {
        var file = ExportArchiveWriter.Files.Single(f => f.Entity == ExportEntities.KnowledgeSources);
        var ids = new List<string>();
        await foreach (var row in archive.RecordsAsync(file, cancellationToken))
        {
            ids.Add(((KnowledgeSourceRecord)row).Id);
        }
        foreach (var batch in ids.Chunk(BatchSize))
        {
            var owners = await Owners(db.KnowledgeSources, [.. batch], cancellationToken);
            foreach (var (id, owner) in owners.Where(o => o.Value != workspaceId))
            {
                _remapped[id] = ImportIds.Remap(id, workspaceId);
            }
        }
    }

    /// <summary>A flow graph with the knowledge source ids of its blocks remapped; the same JSON when none is.</summary>
    private JsonElement RemapFlow(JsonElement flow)
    {
        if (_remapped.Count == 0 || !flow.GetRawText().Contains("knowledge_source_ids", StringComparison.Ordinal))
        {
            return flow;
        }
        var node = JsonNode.Parse(flow.GetRawText())!;
        var changed = false;
        void Visit(JsonNode? current)
        {
            switch (current)
            {
                case JsonObject obj:
                    foreach (var (name, value) in obj.ToList())
                    {
                        if (name == "knowledge_source_ids" && value is JsonArray array)
                        {
                            for (var i = 0; i < array.Count; i++)
                            {
                                if (array[i] is JsonValue item && item.TryGetValue<string>(out var id) && _remapped.TryGetValue(id, out var newId))
                                {
                                    array[i] = newId;
                                    changed = true;
                                }
                            }
                        }
                        else
                        {
                            Visit(value);
                        }
                    }
                    break;
                case JsonArray items:
                    foreach (var item in items)
                    {
                        Visit(item);
                    }
                    break;
            }
        }
        Visit(node);
        return changed ? JsonSerializer.SerializeToElement(node) : flow;
    }

    private string Map(string id) => _remapped.GetValueOrDefault(id, id);

    private string? MapOptional(string? id) => id is null ? null : Map(id);

    /// <summary>A reference that may name a user: empty when that user was not restored, else mapped as any id.</summary>
    private string? MapUser(string? id) => id is not null && _usersNotRestored.Contains(id) ? null : MapOptional(id);

    private object ToEntity(object record, string id, string workspaceId) => record switch
    {
        BotRecord b => (b with
        {
            Id = id,
            Model = b.Model with { Provider = Map(b.Model.Provider), FallbackProvider = MapOptional(b.Model.FallbackProvider) },
            FlowDraft = b.FlowDraft is { } draft ? RemapFlow(draft) : null,
            FlowVersions = b.FlowVersions?.Select(v => v with { Flow = RemapFlow(v.Flow) }).ToList(),
        }).ToEntity(workspaceId),
        ModelProviderRecord p => (p with { Id = id }).ToEntity(workspaceId),
        WebhookEndpointRecord w => (w with { Id = id }).ToEntity(workspaceId, secrets.Protect(WebhookSignature.NewSecret())),
        ContactRecord c => (c with { Id = id }).ToEntity(workspaceId),
        ConversationRecord c => (c with { Id = id, AssignedUserId = MapUser(c.AssignedUserId) }).ToEntity(workspaceId, Map(c.BotId), Map(c.ContactId)),
        MessageRecord m => (m with { Id = id, AuthorUserId = MapUser(m.AuthorUserId) }).ToEntity(workspaceId, Map(m.ConversationId)),
        EventRecord e => (e with { Id = id }).ToEntity(workspaceId, MapOptional(e.ConversationId)),
        WebhookDeliveryRecord d => (d with { Id = id }).ToEntity(workspaceId, Map(d.EndpointId), Map(d.EventId), MapOptional(d.ConversationId)),
        WebhookAttemptRecord a => (a with { Id = id }).ToEntity(workspaceId, Map(a.DeliveryId), Map(a.EndpointId)),
        LeadRecord l => (l with { Id = id }).ToEntity(workspaceId, MapOptional(l.BotId), MapOptional(l.ConversationId), MapOptional(l.ContactId)),
        BookingRecord b => (b with { Id = id }).ToEntity(workspaceId, Map(b.BotId), MapOptional(b.ContactId), MapOptional(b.ConversationId)),
        KnowledgeSourceRecord k => (k with { Id = id }).ToEntity(workspaceId, Map(k.BotId)),
        ConversationNoteRecord n => (n with { Id = id, AuthorUserId = MapUser(n.AuthorUserId) }).ToEntity(workspaceId, Map(n.ConversationId)),
        CannedResponseRecord r => (r with { Id = id }).ToEntity(workspaceId),
        InvitationRecord i => i.ToEntity(id, workspaceId, Map(i.InvitedBy)),
        AuditEntryRecord a => a.ToEntity(id, workspaceId, MapUser(a.ActorId), MapUser(a.TargetId)),
        _ => throw new InvalidOperationException($"No import for {record.GetType().Name}."),
    };

    private static string IdOf(object record) => record switch
    {
        BotRecord r => r.Id,
        ModelProviderRecord r => r.Id,
        WebhookEndpointRecord r => r.Id,
        ContactRecord r => r.Id,
        ConversationRecord r => r.Id,
        MessageRecord r => r.Id,
        EventRecord r => r.Id,
        WebhookDeliveryRecord r => r.Id,
        WebhookAttemptRecord r => r.Id,
        LeadRecord r => r.Id,
        BookingRecord r => r.Id,
        KnowledgeSourceRecord r => r.Id,
        ConversationNoteRecord r => r.Id,
        CannedResponseRecord r => r.Id,
        InvitationRecord r => r.Id,
        AuditEntryRecord r => r.Id,
        _ => throw new InvalidOperationException($"No id for {record.GetType().Name}."),
    };

    /// <summary>Which workspace holds each of <paramref name="ids"/>, across all workspaces.</summary>
    private Task<Dictionary<string, string>> OwnersAsync(object sample, List<string> ids, CancellationToken cancellationToken) => sample switch
    {
        BotRecord => Owners(db.Bots, ids, cancellationToken),
        ModelProviderRecord => Owners(db.ModelProviders, ids, cancellationToken),
        WebhookEndpointRecord => Owners(db.WebhookEndpoints, ids, cancellationToken),
        ContactRecord => Owners(db.Contacts, ids, cancellationToken),
        ConversationRecord => Owners(db.Conversations, ids, cancellationToken),
        MessageRecord => Owners(db.Messages, ids, cancellationToken),
        EventRecord => Owners(db.Events, ids, cancellationToken),
        WebhookDeliveryRecord => Owners(db.WebhookDeliveries, ids, cancellationToken),
        WebhookAttemptRecord => Owners(db.WebhookAttempts, ids, cancellationToken),
        LeadRecord => Owners(db.Leads, ids, cancellationToken),
        BookingRecord => Owners(db.Bookings, ids, cancellationToken),
        KnowledgeSourceRecord => Owners(db.KnowledgeSources, ids, cancellationToken),
        ConversationNoteRecord => Owners(db.ConversationNotes, ids, cancellationToken),
        CannedResponseRecord => Owners(db.CannedResponses, ids, cancellationToken),
        InvitationRecord => Owners(db.Invitations, ids, cancellationToken),
        AuditEntryRecord => Owners(db.AuditEntries, ids, cancellationToken),
        _ => throw new InvalidOperationException($"No table for {sample.GetType().Name}."),
    };

    private static Task<Dictionary<string, string>> Owners<T>(DbSet<T> set, List<string> ids, CancellationToken cancellationToken)
        where T : class, IHasId, IWorkspaceOwned =>
        set.IgnoreQueryFilters().Where(e => ids.Contains(e.Id)).Select(e => new { e.Id, e.WorkspaceId })
            .ToDictionaryAsync(e => e.Id, e => e.WorkspaceId, cancellationToken);

    /// <summary>Contacts of this workspace holding an external id the batch brings: the unique key a row must not repeat.</summary>
    private async Task<Dictionary<string, string>> ContactsByExternalIdAsync(IEnumerable<ContactRecord> batch, CancellationToken cancellationToken)
    {
        var externalIds = batch.Where(c => c.ExternalId is not null).Select(c => c.ExternalId!).ToList();
        if (externalIds.Count == 0)
        {
            return [];
        }
        return await db.Contacts.AsNoTracking()
            .Where(c => c.ExternalId != null && externalIds.Contains(c.ExternalId))
            .ToDictionaryAsync(c => c.ExternalId!, c => c.Id, cancellationToken);
    }

    /// <summary>Leads of this workspace with an email the batch brings, by blind index.</summary>
    private async Task<Dictionary<string, string>> LeadsByEmailAsync(IEnumerable<LeadRecord> batch, CancellationToken cancellationToken)
    {
        var indexes = batch.Select(l => db.Cipher?.EmailIndex(l.Email)).OfType<string>().Distinct().ToList();
        if (indexes.Count == 0)
        {
            return [];
        }
        return await db.Leads.AsNoTracking()
            .Where(l => l.EmailIndex != null && indexes.Contains(l.EmailIndex))
            .ToDictionaryAsync(l => l.EmailIndex!, l => l.Id, cancellationToken);
    }

    /// <summary>
    /// A confirmed booking holds its seat again, so imported bookings keep counting against capacity. A seat already
    /// taken here (a booking made in this workspace meanwhile) stays with its holder: the imported booking is history.
    /// </summary>
    private async Task ClaimSeatAsync(Booking booking, CancellationToken cancellationToken)
    {
        var taken = await db.BookingSlotClaims.IgnoreQueryFilters()
            .AnyAsync(c => c.BotId == booking.BotId && c.SlotStart == booking.Start && c.Seat == booking.Seat, cancellationToken)
            || db.ChangeTracker.Entries<BookingSlotClaim>().Any(e => e.Entity.BotId == booking.BotId && e.Entity.SlotStart == booking.Start && e.Entity.Seat == booking.Seat);
        if (!taken)
        {
            db.Add(new BookingSlotClaim { WorkspaceId = booking.WorkspaceId, BotId = booking.BotId, SlotStart = booking.Start, Seat = booking.Seat, BookingId = booking.Id });
        }
    }

    private sealed class FileCounter
    {
        public long Rows { get; set; }
        public long Created { get; set; }
        public long Skipped { get; set; }
        public long Remapped { get; set; }
        public long Merged { get; set; }
        public long NotRestored { get; set; }

        public ImportFileReport ToReport() => new(Rows, Created, Skipped, Remapped, Merged, NotRestored);
    }
}
