using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Features.ModelProviders;

/// <summary>
/// Counts each provider connection's answered and failed calls per hour in memory, for the integration map; the
/// <see cref="ModelCallTallyFlusher"/> adds them to <see cref="ModelCallHour"/> rows, so a reply never waits for a write.
/// </summary>
public sealed class ModelCallTally(TimeProvider time)
{
    public const int MaxFailureLength = 300;

    private readonly ConcurrentDictionary<(string WorkspaceId, string ProviderId, DateTimeOffset Hour), Counts> _pending = new();

    public void Succeeded(ModelProvider provider) => Add(provider, failure: null);

    public void Failed(ModelProvider provider, Exception error) => Add(provider, Describe(error));

    public static DateTimeOffset StartOfHour(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerHour, TimeSpan.Zero);
    }

    /// <summary>
    /// Adds what was counted since the last flush to the hour rows: an update of the row, or an insert when there is
    /// none yet (and the update again when another node inserted it first).
    /// </summary>
    internal async Task FlushAsync(ParleyDbContext db, CancellationToken cancellationToken)
    {
        foreach (var key in _pending.Keys)
        {
            if (!_pending.TryRemove(key, out var counts))
            {
                continue;
            }
            if (await UpdateAsync(db, key, counts, cancellationToken) > 0)
            {
                continue;
            }
            db.ModelCallHours.Add(new ModelCallHour
            {
                WorkspaceId = key.WorkspaceId, ProviderId = key.ProviderId, Hour = key.Hour, Successes = counts.Successes, Failures = counts.Failures,
                LastSuccessAt = counts.LastSuccessAt, LastFailureAt = counts.LastFailureAt, LastFailure = counts.LastFailure,
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                await UpdateAsync(db, key, counts, cancellationToken);
            }
        }
    }

    private static Task<int> UpdateAsync(
        ParleyDbContext db, (string WorkspaceId, string ProviderId, DateTimeOffset Hour) key, Counts counts, CancellationToken cancellationToken) =>
        db.ModelCallHours.IgnoreQueryFilters()
            .Where(h => h.WorkspaceId == key.WorkspaceId && h.ProviderId == key.ProviderId && h.Hour == key.Hour)
            .ExecuteUpdateAsync(set =>
            {
                set.SetProperty(h => h.Successes, h => h.Successes + counts.Successes);
                set.SetProperty(h => h.Failures, h => h.Failures + counts.Failures);
                // Another node may have written a later time already: the latest stays.
                if (counts.LastSuccessAt is { } succeeded)
                {
                    set.SetProperty(h => h.LastSuccessAt, h => h.LastSuccessAt == null || h.LastSuccessAt < succeeded ? succeeded : h.LastSuccessAt);
                }
                if (counts.LastFailureAt is { } failed)
                {
                    set.SetProperty(h => h.LastFailure, h => h.LastFailureAt == null || h.LastFailureAt < failed ? counts.LastFailure : h.LastFailure);
                    set.SetProperty(h => h.LastFailureAt, h => h.LastFailureAt == null || h.LastFailureAt < failed ? failed : h.LastFailureAt);
                }
            }, cancellationToken);

    private void Add(ModelProvider provider, string? failure)
    {
        var now = time.GetUtcNow();
        var counts = failure is null ? new Counts(1, 0, now, null, null) : new Counts(0, 1, null, now, failure);
        // Replaced, never changed in place: a flush that has taken an hour's counts cannot lose a call added meanwhile.
        _pending.AddOrUpdate((provider.WorkspaceId, provider.Id, StartOfHour(now)), counts, (_, old) => old.Plus(counts));
    }

    /// <summary>The error in a line, without what the provider echoed of the request beyond that.</summary>
    private static string Describe(Exception error)
    {
        var text = error switch
        {
            OperationCanceledException => "No answer in the time allowed.",
            _ => error.Message.ReplaceLineEndings(" ").Trim(),
        };
        return text.Length <= MaxFailureLength ? text : string.Concat(text.AsSpan(0, MaxFailureLength - 1), "…");
    }

    private sealed record Counts(int Successes, int Failures, DateTimeOffset? LastSuccessAt, DateTimeOffset? LastFailureAt, string? LastFailure)
    {
        public Counts Plus(Counts later) => new(
            Successes + later.Successes, Failures + later.Failures, later.LastSuccessAt ?? LastSuccessAt,
            later.LastFailureAt ?? LastFailureAt, later.LastFailureAt is null ? LastFailure : later.LastFailure);
    }
}
