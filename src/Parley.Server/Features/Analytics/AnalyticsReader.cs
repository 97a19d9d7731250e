using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Features.Analytics;

/// <summary>
/// Reads the daily rows of a range: stored roll-ups for days the worker has written and that nothing changed since,
/// and a live computation for the rest (the current day, days not rolled up yet, days marked stale). Reads never
/// wait for the worker, and give the same figures before and after it runs.
/// </summary>
public sealed class AnalyticsReader(AnalyticsCalculator calculator)
{
    private const int MaxLiveDays = 1;

    public async Task<List<AnalyticsDailyRollup>> RowsAsync(
        ParleyDbContext db, string workspaceId, DateOnly from, DateOnly to, string? botId, CancellationToken cancellationToken)
    {
        var state = await db.AnalyticsRollupStates.AsNoTracking().FirstOrDefaultAsync(cancellationToken);
        var stale = (await db.AnalyticsStaleDays.AsNoTracking().Where(s => s.Day >= from && s.Day <= to).Select(s => s.Day).ToListAsync(cancellationToken)).ToHashSet();
        var rows = new List<AnalyticsDailyRollup>();
        if (state is { } rolled && rolled.RolledUpThrough >= from)
        {
            var storedTo = rolled.RolledUpThrough < to ? rolled.RolledUpThrough : to;
            rows.AddRange((await db.AnalyticsDailyRollups.AsNoTracking()
                    .Where(r => r.Day >= from && r.Day <= storedTo && (botId == null || r.BotId == botId))
                    .ToListAsync(cancellationToken))
                .Where(r => !stale.Contains(r.Day)));
        }
        var live = new List<DateOnly>();
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            if (state is null || day > state.RolledUpThrough || stale.Contains(day))
            {
                live.Add(day);
            }
        }
        // One computation per run of consecutive days, at most a week each: a long history not rolled up yet (an
        // export of a database the worker never ran on) is read a week at a time, so memory stays flat.
        var i = 0;
        while (i < live.Count)
        {
            var j = i;
            while (j + 1 < live.Count && live[j + 1] == live[j].AddDays(1) && j + 1 - i < MaxLiveDays)
            {
                j++;
            }
            rows.AddRange(await calculator.ComputeAsync(db, workspaceId, live[i], live[j], botId, cancellationToken));
            i = j + 1;
        }
        return [.. rows.OrderBy(r => r.Day).ThenBy(r => r.BotId, StringComparer.Ordinal)];
    }

    /// <summary>The last day whose stored roll-up is complete, or null before the first roll-up.</summary>
    public static async Task<DateOnly?> RolledUpThroughAsync(ParleyDbContext db, CancellationToken cancellationToken) =>
        await db.AnalyticsRollupStates.AsNoTracking().Select(s => (DateOnly?)s.RolledUpThrough).FirstOrDefaultAsync(cancellationToken);
}
