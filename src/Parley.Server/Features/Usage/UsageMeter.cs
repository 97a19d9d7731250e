using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Usage;
using Parley.Server.Features.Notifications;
using Parley.Server.Features.Webhooks;
using Parley.Server.Infrastructure.Background;

namespace Parley.Server.Features.Usage;

/// <summary>
/// Counts usage in the transaction of the thing counted (an outbox contributor, see <see cref="OutboxSetup"/>). Code that does something metered stages the increment on its
/// context with <see cref="Count"/>; webhook deliveries and emails are counted from the saves that mark them done. When
/// the context's transaction commits, the increments are applied with one atomic upsert per counter
/// (<c>INSERT … ON CONFLICT DO UPDATE SET "Value" = "Value" + …</c>; on PostgreSQL all in one round trip), right before the commit: a save that fails or rolls
/// back counts nothing, a retried save counts once, and parallel turns never lose an increment. Limits that refuse work
/// are checked again in that statement, so parallel requests cannot push a workspace past its plan. A counter that the
/// increment takes to 80 % or 100 % of the plan's limit gets a <see cref="UsageLimitAlert"/> in the same transaction
/// (inserted once per month: its key is the workspace, month, metric and threshold), which
/// <see cref="UsageLimitAlertWorker"/> turns into a <c>usage.limit_…</c> event after the commit. The meter remembers
/// the alerts it knows are recorded, so a counter past a threshold does not try to insert its alert again at every save.
/// </summary>
public sealed class UsageMeter(TimeProvider time, IOptionsMonitor<PlanOptions> plans, WakeSignal<UsageLimitAlertWorker> alerts)
    : IOutboxContributor
{
    /// <summary>The metrics whose limit refuses work; the others are only reported against their limit.</summary>
    public static readonly IReadOnlySet<string> Enforced = new HashSet<string>(StringComparer.Ordinal)
    {
        UsageMetrics.ConversationsStarted, UsageMetrics.Messages,
    };

    /// <summary>
    /// Every metric whose limit refuses work (429 <c>quota_exceeded</c>): the <see cref="Enforced"/> ones, and AI tokens,
    /// which a turn's quota check refuses before the model is called, since a reply's tokens are known only after it.
    /// </summary>
    public static readonly IReadOnlySet<string> Refusing = new HashSet<string>(Enforced, StringComparer.Ordinal) { UsageMetrics.AiTokens };

    /// <summary>How many recorded alerts <see cref="_recorded"/> holds before it starts again: a bound, not a budget.</summary>
    private const int MaxRemembered = 4096;

    private readonly ConditionalWeakTable<DbContext, Pending> _pending = [];

    /// <summary>
    /// Alerts known to be in the database (this node inserted and committed them, or found them there) for
    /// <see cref="_recordedPeriod"/>. Forgetting one only costs an insert that does nothing.
    /// </summary>
    private readonly HashSet<AlertKey> _recorded = [];
    private string? _recordedPeriod;

    /// <summary>Stages an increment; it is applied when <paramref name="db"/>'s next transaction commits.</summary>
    public void Count(DbContext db, string workspaceId, string metric, long amount = 1)
    {
        if (amount <= 0)
        {
            return;
        }
        var pending = _pending.GetOrCreateValue(db);
        lock (pending)
        {
            Add(pending.Staged, (workspaceId, metric), amount);
        }
    }

    /// <summary>Derives what this save completes; imported history counts nothing.</summary>
    public ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken)
    {
        if (mode == SaveMode.ImportedHistory)
        {
            return ValueTask.FromResult(false);
        }
        var derived = Derive(db);
        _pending.TryGetValue(db, out var pending);
        if (derived.Count == 0 && pending is null)
        {
            return ValueTask.FromResult(false);
        }
        pending ??= _pending.GetOrCreateValue(db);
        lock (pending)
        {
            pending.ThisSave = derived;
            if (pending.Staged.Count + derived.Count > 0 && db.Database.CurrentTransaction is null)
            {
                // One command may be saved without a transaction; the increments need one to commit with.
                db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Always;
            }
        }
        return ValueTask.FromResult(false);
    }

    /// <summary>Saved inside a transaction the caller may still hold open: this save's counts wait for its commit.</summary>
    public void Saved(ParleyDbContext db)
    {
        if (_pending.TryGetValue(db, out var pending))
        {
            lock (pending)
            {
                foreach (var (key, amount) in pending.ThisSave ?? [])
                {
                    Add(pending.Staged, key, amount);
                }
                pending.ThisSave = null;
            }
        }
    }

    public void SaveFailed(ParleyDbContext db) => ForgetThisSave(db);

    public async ValueTask CommittingAsync(DbTransaction transaction, ParleyDbContext db, bool sync, CancellationToken cancellationToken) =>
        await Apply(transaction, db, sync, cancellationToken);

    public void Committed(ParleyDbContext db, bool contributed)
    {
        if (_pending.TryGetValue(db, out var pending) && pending.AlertsAdded.Count > 0)
        {
            foreach (var alert in pending.AlertsAdded)
            {
                Remember(alert);
            }
            alerts.Notify();
        }
        Forget(db);
    }

    public void RolledBack(ParleyDbContext db) => Forget(db);

    private async Task Apply(DbTransaction transaction, DbContext? context, bool sync, CancellationToken cancellationToken)
    {
        if (context is null || !_pending.TryGetValue(context, out var pending))
        {
            return;
        }
        List<KeyValuePair<(string WorkspaceId, string Metric), long>> increments;
        lock (pending)
        {
            var all = new Dictionary<(string, string), long>(pending.Staged);
            foreach (var (key, amount) in pending.ThisSave ?? [])
            {
                Add(all, key, amount);
            }
            // Always in the same order, so two transactions never wait on each other's counters in opposite orders.
            increments = [.. all.OrderBy(i => i.Key.Item1, StringComparer.Ordinal).ThenBy(i => i.Key.Item2, StringComparer.Ordinal)];
        }
        if (increments.Count == 0)
        {
            return;
        }
        var period = UsagePeriod.Of(time.GetUtcNow());
        var options = plans.CurrentValue;
        var planLimits = increments.Select(i => i.Key.WorkspaceId).Distinct(StringComparer.Ordinal)
            .ToDictionary(w => w, w => options.PlanOf(w).Limits, StringComparer.Ordinal);
        var counts = increments.Select(i =>
        {
            var planLimit = planLimits[i.Key.WorkspaceId].For(i.Key.Metric);
            return new Increment(i.Key.WorkspaceId, i.Key.Metric, i.Value, planLimit, Enforced.Contains(i.Key.Metric) ? planLimit : null);
        }).ToList();
        var totals = await CountAsync(transaction, period, counts, sync, cancellationToken);
        for (var i = 0; i < counts.Count; i++)
        {
            var (workspaceId, metric, amount, planLimit, limit) = counts[i];
            if (totals[i] is not { } value || (limit is { } cap && amount > cap))
            {
                // A parallel request took the last of the allowance after this one was let in: commit nothing.
                throw QuotaExceeded.For(metric, limit!.Value, period, time.GetUtcNow());
            }
            foreach (var threshold in UsageLimitThresholds.At(value, planLimit))
            {
                // Checked per save rather than once a month, so a limit lowered mid-month alerts at the next counted use.
                var alert = new AlertKey(workspaceId, period.ToString(), metric, threshold);
                if (IsRemembered(alert))
                {
                    continue;
                }
                if (await AddAlertAsync(transaction, workspaceId, period, metric, threshold, value, planLimit!.Value, sync, cancellationToken))
                {
                    // Known to be recorded only once this transaction commits.
                    pending.AlertsAdded.Add(alert);
                }
                else
                {
                    Remember(alert);
                }
            }
        }
    }

    /// <summary>
    /// Applies the increments and answers each counter's new value, or null where the increment would pass its limit.
    /// Where the database takes a batch (PostgreSQL), all go in one round trip.
    /// </summary>
    private static async Task<long?[]> CountAsync(
        DbTransaction transaction, UsagePeriod period, IReadOnlyList<Increment> counts, bool sync, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var totals = new long?[counts.Count];
        if (!connection.CanCreateBatch || counts.Count == 1)
        {
            for (var i = 0; i < counts.Count; i++)
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = SqlFor(counts[i]);
                AddParameters(command.CreateParameter, command.Parameters, counts[i], period);
                totals[i] = Total(sync ? command.ExecuteScalar() : await command.ExecuteScalarAsync(cancellationToken));
            }
            return totals;
        }
        await using var batch = connection.CreateBatch();
        batch.Transaction = transaction;
        foreach (var count in counts)
        {
            var command = batch.CreateBatchCommand();
            command.CommandText = SqlFor(count);
            AddParameters(command.CreateParameter, command.Parameters, count, period);
            batch.BatchCommands.Add(command);
        }
        await using var reader = sync ? batch.ExecuteReader() : await batch.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; i < counts.Count; i++)
        {
            if (i > 0 && !(sync ? reader.NextResult() : await reader.NextResultAsync(cancellationToken)))
            {
                throw new InvalidOperationException("The usage batch answered fewer results than it has counters.");
            }
            totals[i] = (sync ? reader.Read() : await reader.ReadAsync(cancellationToken)) ? Total(reader.GetValue(0)) : null;
        }
        return totals;
    }

    private static string SqlFor(Increment count) => count.Limit is null ? CountSql : CountWithinLimitSql;

    private static void AddParameters(Func<DbParameter> create, DbParameterCollection parameters, Increment count, UsagePeriod period)
    {
        Add("@workspace", count.WorkspaceId);
        Add("@period", period.ToString());
        Add("@metric", count.Metric);
        Add("@amount", count.Amount);
        if (count.Limit is { } max)
        {
            Add("@limit", max);
        }

        void Add(string name, object value)
        {
            var parameter = create();
            parameter.ParameterName = name;
            parameter.Value = value;
            parameters.Add(parameter);
        }
    }

    private static long? Total(object? value) => value is null or DBNull ? null : Convert.ToInt64(value, CultureInfo.InvariantCulture);

    /// <summary>Records that a threshold was reached, unless it already was this month (by this node or another). Returns whether it was new.</summary>
    private static async Task<bool> AddAlertAsync(
        DbTransaction transaction, string workspaceId, UsagePeriod period, string metric, int threshold, long value, long limit, bool sync,
        CancellationToken cancellationToken)
    {
        await using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = AlertSql;
        AddParameter(command, "@workspace", workspaceId);
        AddParameter(command, "@period", period.ToString());
        AddParameter(command, "@metric", metric);
        AddParameter(command, "@threshold", threshold);
        AddParameter(command, "@value", value);
        AddParameter(command, "@limit", limit);
        var added = sync ? command.ExecuteNonQuery() : await command.ExecuteNonQueryAsync(cancellationToken);
        return added > 0;
    }

    private const string AlertSql = """
        INSERT INTO "UsageLimitAlerts" ("WorkspaceId", "Period", "Metric", "Threshold", "Value", "Limit") VALUES (@workspace, @period, @metric, @threshold, @value, @limit)
        ON CONFLICT ("WorkspaceId", "Period", "Metric", "Threshold") DO NOTHING
        """;

    private const string UpsertSql = """
        INSERT INTO "UsageCounters" ("WorkspaceId", "Period", "Metric", "Value") VALUES (@workspace, @period, @metric, @amount)
        ON CONFLICT ("WorkspaceId", "Period", "Metric") DO UPDATE SET "Value" = "UsageCounters"."Value" + excluded."Value"
        """;

    private const string Returning = """

        RETURNING "Value"
        """;

    /// <summary>Answers the counter's new value: what the thresholds are checked against, exact under parallel increments.</summary>
    private const string CountSql = UpsertSql + Returning;

    /// <summary>Answers no row when the increment would pass the limit.</summary>
    private const string CountWithinLimitSql = UpsertSql + """

        WHERE "UsageCounters"."Value" + excluded."Value" <= @limit
        """ + Returning;

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    /// <summary>What the saves being made complete: deliveries that reached their endpoint, emails the server accepted.</summary>
    private static Dictionary<(string, string), long> Derive(ParleyDbContext db)
    {
        var counts = new Dictionary<(string, string), long>();
        foreach (var entry in db.ChangeTracker.Entries<WebhookDelivery>())
        {
            if (entry.State == EntityState.Modified && entry.Entity.Status == WebhookDeliveryStatus.Delivered
                && entry.OriginalValues.GetValue<string>(nameof(WebhookDelivery.Status)) != WebhookDeliveryStatus.Delivered)
            {
                Add(counts, (entry.Entity.WorkspaceId, UsageMetrics.WebhookDeliveries), 1);
            }
        }
        foreach (var entry in db.ChangeTracker.Entries<EmailNotification>())
        {
            if (entry.State == EntityState.Modified && entry.Entity.Status == EmailStatus.Sent
                && entry.OriginalValues.GetValue<string>(nameof(EmailNotification.Status)) != EmailStatus.Sent)
            {
                Add(counts, (entry.Entity.WorkspaceId, UsageMetrics.EmailsSent), 1);
            }
        }
        return counts;
    }

    private bool IsRemembered(AlertKey alert)
    {
        lock (_recorded)
        {
            return alert.Period == _recordedPeriod && _recorded.Contains(alert);
        }
    }

    private void Remember(AlertKey alert)
    {
        lock (_recorded)
        {
            if (alert.Period != _recordedPeriod || _recorded.Count >= MaxRemembered)
            {
                _recorded.Clear();
                _recordedPeriod = alert.Period;
            }
            _recorded.Add(alert);
        }
    }

    private static void Add(Dictionary<(string, string), long> counts, (string, string) key, long amount) =>
        counts[key] = counts.GetValueOrDefault(key) + amount;

    private void ForgetThisSave(DbContext? context)
    {
        if (context is not null && _pending.TryGetValue(context, out var pending))
        {
            lock (pending)
            {
                pending.ThisSave = null;
            }
        }
    }

    private void Forget(DbContext? context)
    {
        // Looked up first: every context's scope ends here (IOutboxContributor.RolledBack), most with nothing staged,
        // and a lookup takes no lock where a removal does.
        if (context is not null && _pending.TryGetValue(context, out _))
        {
            _pending.Remove(context);
        }
    }

    private sealed class Pending
    {
        /// <summary>Counted by code (<see cref="Count"/>) or by earlier saves of an open transaction.</summary>
        public Dictionary<(string, string), long> Staged { get; } = [];

        /// <summary>Derived from the save in progress; dropped if it fails, so a retried save derives them once.</summary>
        public Dictionary<(string, string), long>? ThisSave { get; set; }

        /// <summary>The thresholds the commit under way reached that were not reached before this month.</summary>
        public List<AlertKey> AlertsAdded { get; } = [];
    }

    private sealed record Increment(string WorkspaceId, string Metric, long Amount, long? PlanLimit, long? Limit);

    private sealed record AlertKey(string WorkspaceId, string Period, string Metric, int Threshold);
}
