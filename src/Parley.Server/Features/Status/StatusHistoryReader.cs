using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Server.Features.Status;

/// <summary>
/// Reads the status history from the samples: daily counts per component (one GROUP BY) and the incidents (the samples
/// that were not operational, a few rows on a good day). The samples change once a minute, so each node reads them at
/// most once a minute.
/// </summary>
public sealed class StatusHistoryReader(IServiceScopeFactory scopes, TimeProvider time, IOptions<StatusOptions> options) : IDisposable
{
    private const string Operational = "operational";

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (StatusHistory History, DateTimeOffset Minute, string Components)? _cached;

    /// <summary>The history of <paramref name="components"/> (the names the status page shows, in its order).</summary>
    public async Task<StatusHistory> GetAsync(IReadOnlyList<string> components, CancellationToken cancellationToken)
    {
        var key = string.Join(",", components);
        if (Fresh(key) is { } fresh)
        {
            return fresh;
        }
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(key) is { } again)
            {
                return again;
            }
            var now = time.GetUtcNow();
            var history = await ReadAsync(components, now, cancellationToken);
            _cached = (history, StatusHistorySampler.StartOfMinute(now), key);
            return history;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private StatusHistory? Fresh(string components) =>
        _cached is { } cached && cached.Components == components && cached.Minute == StatusHistorySampler.StartOfMinute(time.GetUtcNow())
            ? cached.History
            : null;

    private async Task<StatusHistory> ReadAsync(IReadOnlyList<string> components, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var days = options.Value.HistoryDays;
        var to = DateOnly.FromDateTime(now.UtcDateTime);
        var from = to.AddDays(1 - days);
        await using var scope = scopes.CreateAsyncScope();
        var samples = scope.ServiceProvider.GetRequiredService<ParleyDbContext>().StatusSamples.AsNoTracking().Where(s => s.Day >= from);

        var counts = await samples.GroupBy(s => new { s.Component, s.Day, s.Status })
            .Select(g => new { g.Key.Component, g.Key.Day, g.Key.Status, Minutes = g.Count() })
            .ToListAsync(cancellationToken);
        var notOperational = await samples.Where(s => s.Status != Operational)
            .OrderBy(s => s.Component).ThenBy(s => s.Minute)
            .Select(s => new SampleRow(s.Component, s.Minute, s.Status))
            .ToListAsync(cancellationToken);
        var lastSampled = await samples.GroupBy(s => s.Component)
            .Select(g => new { Component = g.Key, Last = g.Max(s => s.Minute) })
            .ToDictionaryAsync(g => g.Component, g => g.Last, StringComparer.Ordinal, cancellationToken);

        var histories = components.Select(name =>
        {
            var ofComponent = counts.Where(c => c.Component == name).ToList();
            var dailyFigures = Enumerable.Range(0, days).Select(offset =>
            {
                var date = from.AddDays(offset);
                int Minutes(string status) => ofComponent.Where(c => c.Day == date && c.Status == status).Sum(c => c.Minutes);
                var operational = Minutes(Operational);
                var degraded = Minutes("degraded");
                var down = ofComponent.Where(c => c.Day == date).Sum(c => c.Minutes) - operational - degraded;
                return new ComponentDay(date, operational, degraded, down, Uptime(operational, operational + degraded + down));
            }).ToList();
            return new ComponentHistory(name, Uptime(ofComponent.Where(c => c.Status == Operational).Sum(c => c.Minutes), ofComponent.Sum(c => c.Minutes)), dailyFigures);
        }).ToList();

        var incidents = Incidents(notOperational, lastSampled, now).OrderByDescending(i => i.StartedAt).ToList();
        return new StatusHistory(days, from, to, histories, incidents);
    }

    /// <summary>Runs of consecutive minutes not operational that lasted more than a minute.</summary>
    private static IEnumerable<StatusIncident> Incidents(
        List<SampleRow> notOperational, Dictionary<string, DateTimeOffset> lastSampled, DateTimeOffset now)
    {
        var i = 0;
        while (i < notOperational.Count)
        {
            var start = notOperational[i];
            var last = start;
            var worst = start.Status;
            var j = i + 1;
            while (j < notOperational.Count && notOperational[j].Component == start.Component && notOperational[j].Minute == last.Minute.AddMinutes(1))
            {
                last = notOperational[j];
                worst = last.Status == "down" ? "down" : worst;
                j++;
            }
            i = j;
            // Ongoing while nothing was sampled after it; a gap in sampling (no node running) ends it.
            var ongoing = lastSampled.GetValueOrDefault(start.Component) <= last.Minute;
            DateTimeOffset? end = ongoing ? null : last.Minute.AddMinutes(1);
            var duration = (end ?? Max(now, last.Minute.AddMinutes(1))) - start.Minute;
            if (duration > TimeSpan.FromMinutes(1))
            {
                yield return new StatusIncident(start.Component, worst, start.Minute, end, (long)duration.TotalSeconds, ongoing);
            }
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static double? Uptime(int operational, int sampled) =>
        sampled == 0 ? null : Math.Round(operational * 100.0 / sampled, 2, MidpointRounding.AwayFromZero);

    public void Dispose() => _refresh.Dispose();

    private sealed record SampleRow(string Component, DateTimeOffset Minute, string Status);
}
