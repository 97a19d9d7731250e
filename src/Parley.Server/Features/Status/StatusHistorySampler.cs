using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Data.Entities;

namespace Parley.Server.Features.Status;

/// <summary>
/// Writes each component's state once a minute for the status history, and deletes samples older than
/// <see cref="StatusOptions.HistoryDays"/>. Every node samples; the table's key (component, minute) and an insert that
/// ignores conflicts keep the first node's sample of each minute and drop the others', on SQLite and PostgreSQL alike.
/// Only the node whose insert wrote the minute prunes, so the delete runs once a minute, not once per node.
/// </summary>
public sealed class StatusHistorySampler(
    IServiceScopeFactory scopes, StatusReport report, TimeProvider time, IOptions<StatusOptions> options, ILogger<StatusHistorySampler> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.HistorySampler)
        {
            return;
        }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // At the start of each minute: the first pass waits for the next one, so start-up has nothing extra to do.
                var now = time.GetUtcNow();
                await Task.Delay(StartOfMinute(now).AddMinutes(1) - now, time, stoppingToken);
                await SampleAsync(time.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Status sample failed; sampling again next minute");
            }
        }
    }

    /// <summary>
    /// Samples every component for the minute of <paramref name="at"/> and, when it wrote them, prunes old samples.
    /// Returns how many samples this call wrote: none when another node has sampled that minute already.
    /// </summary>
    public async Task<int> SampleAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var status = await report.GetAsync(cancellationToken);
        var minute = StartOfMinute(at);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
        var written = await InsertAsync(db, minute, status.Components, cancellationToken);
        if (written > 0)
        {
            var cutoff = minute.AddDays(-options.Value.HistoryDays);
            await db.StatusSamples.Where(s => s.Minute < cutoff).ExecuteDeleteAsync(cancellationToken);
        }
        return written;
    }

    public static DateTimeOffset StartOfMinute(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
    }

    /// <summary>One statement for every component; a conflict (the minute sampled already) skips the row without an error.</summary>
    private static async Task<int> InsertAsync(
        ParleyDbContext db, DateTimeOffset minute, IReadOnlyList<StatusComponent> components, CancellationToken cancellationToken)
    {
        var entity = db.Model.FindEntityType(typeof(StatusSample))!;
        var minuteValue = ProviderValue(entity.FindProperty(nameof(StatusSample.Minute))!, minute);
        var dayValue = ProviderValue(entity.FindProperty(nameof(StatusSample.Day))!, DateOnly.FromDateTime(minute.UtcDateTime));
        var sql = new StringBuilder("""INSERT INTO "StatusSamples" ("Component", "Minute", "Day", "Status") VALUES """);
        var parameters = new List<object>();
        foreach (var component in components)
        {
            var first = parameters.Count;
            sql.Append(CultureInfo.InvariantCulture, $"{(first == 0 ? "" : ", ")}({{{first}}}, {{{first + 1}}}, {{{first + 2}}}, {{{first + 3}}})");
            parameters.AddRange([component.Name, minuteValue, dayValue, component.Status]);
        }
        sql.Append(" ON CONFLICT DO NOTHING");
        return await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
    }

    /// <summary>The value as the column stores it (timestamps are microseconds on SQLite): raw SQL skips EF's converters.</summary>
    private static object ProviderValue(IProperty property, object value) =>
        property.GetTypeMapping().Converter?.ConvertToProvider(value) ?? value;
}
