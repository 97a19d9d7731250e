using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Parley.Data;
using Parley.Data.Entities;
using Parley.Engine.Escalation;
using Parley.Engine.Flows;
using Parley.Engine.Guardrails;
using Parley.Engine.Turns;
using Parley.Server.Infrastructure.Background;
using Parley.Server.Infrastructure.Cluster;

namespace Parley.Server.Features.Bots;

/// <summary>
/// What a turn reads of its bot: the profile, its guardrail and escalation settings parsed, its business hours, whether
/// it is deleted, and the published flow versions its conversations have run so far, parsed.
/// </summary>
public sealed record BotTurnSettings(
    BotProfile Profile, GuardrailSettings Guardrails, EscalationSettings Escalation, string? BusinessHoursJson, DateTimeOffset? DeletedAt)
{
    /// <summary>
    /// Published flow versions by number, parsed once: a version never changes, and publishing another changes the bot,
    /// which evicts these settings with them.
    /// </summary>
    public ConcurrentDictionary<int, FlowGraph> FlowGraphs { get; } = new();
}

/// <summary>
/// Each bot's <see cref="BotTurnSettings"/>, read and parsed once per change of the bot instead of at every turn. Every
/// save that adds, changes or deletes a bot or one of its knowledge sources evicts the bot's entry on every node once it
/// commits: an outbox contributor, so no write path can forget to. A node that misses the announcement (the bus down)
/// keeps the old settings for at most <see cref="CacheFor"/>, as with the other caches.
/// </summary>
public sealed class BotTurnSettingsCache : IOutboxContributor
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private static readonly string[] NotDeletedFilter = [QueryFilters.NotDeleted];

    private static readonly CompiledQueryPerModel<Func<ParleyDbContext, string, CancellationToken, Task<BotRow>>> BotById =
        new(() => EF.CompileAsyncQuery((ParleyDbContext db, string botId, CancellationToken _) =>
            db.Bots.IgnoreQueryFilters(NotDeletedFilter).AsNoTracking()
                .Where(b => b.Id == botId)
                .Select(b => new BotRow(
                    b.Id, b.Name, b.Instructions, b.Greeting, b.FallbackText, b.DeletedAt, b.GuardrailsJson, b.EscalationJson, b.BusinessHoursJson,
                    b.Model.Provider, b.Model.Name, b.Model.Temperature, b.Model.MaxTokens, b.Model.FallbackProvider,
                    db.KnowledgeSources.Any(k => k.BotId == b.Id)))
                .First()));

    private readonly IMemoryCache _cache;
    private readonly Evictions _evictions;
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> _changed = [];

    /// <summary>
    /// Counts evictions on this node. A read that saw it change while it loaded may hold settings from before the change
    /// it was evicted for, so it is used but not kept.
    /// </summary>
    private long _evicted;

    public BotTurnSettingsCache(IMemoryCache cache, ClusterAnnouncements cluster)
    {
        _cache = cache;
        _evictions = new Evictions(RemoveHere, cluster);
    }

    /// <summary>The settings of an existing bot (a deleted bot keeps its row, with <see cref="BotTurnSettings.DeletedAt"/> set).</summary>
    public async Task<BotTurnSettings> GetAsync(ParleyDbContext db, string botId, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(Key(botId), out BotTurnSettings? cached) && cached is not null)
        {
            return cached;
        }
        var evictedBefore = Interlocked.Read(ref _evicted);
        var row = await BotById.For(db)(db, botId, cancellationToken);
        var model = new BotModelProfile(row.Provider, row.ModelName, row.Temperature, row.MaxTokens, row.FallbackProvider);
        var settings = new BotTurnSettings(
            new BotProfile(row.Id, row.Name, row.Instructions, row.Greeting, row.FallbackText, row.HasKnowledge, model),
            GuardrailSettings.FromJson(row.GuardrailsJson), EscalationSettings.FromJson(row.EscalationJson), row.BusinessHoursJson,
            row.DeletedAt);
        if (Interlocked.Read(ref _evicted) == evictedBefore)
        {
            _cache.Set(Key(botId), settings, CacheFor);
        }
        return settings;
    }

    /// <summary>Notes the bots this save changes, directly or through their knowledge sources.</summary>
    public ValueTask<bool> SavingAsync(ParleyDbContext db, SaveMode mode, CancellationToken cancellationToken)
    {
        HashSet<string>? changed = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity switch { Bot bot => bot.Id, KnowledgeSource source => source.BotId, _ => null } is { } botId)
            {
                changed ??= _changed.GetOrCreateValue(db);
                lock (changed)
                {
                    changed.Add(botId);
                }
            }
        }
        return ValueTask.FromResult(false);
    }

    public void Committed(ParleyDbContext db, bool contributed) => EvictChanged(db);

    // A rolled-back change left the rows as they were, but evicting costs one read: simpler than telling saves apart.
    public void RolledBack(ParleyDbContext db) => EvictChanged(db);

    private void EvictChanged(ParleyDbContext db)
    {
        if (!_changed.TryGetValue(db, out var changed))
        {
            return;
        }
        _changed.Remove(db);
        string[] botIds;
        lock (changed)
        {
            botIds = [.. changed];
        }
        foreach (var botId in botIds)
        {
            _evictions.Evict(botId);
        }
    }

    private void RemoveHere(string botId)
    {
        Interlocked.Increment(ref _evicted);
        _cache.Remove(Key(botId));
    }

    private static string Key(string botId) => "bot-turn:" + botId;

    private sealed class Evictions(Action<string> removeHere, ClusterAnnouncements cluster)
        : ClusterEvictions("bot-settings", removeHere, cluster);

    private sealed record BotRow(
        string Id, string Name, string? Instructions, string? Greeting, string FallbackText, DateTimeOffset? DeletedAt,
        string? GuardrailsJson, string? EscalationJson, string? BusinessHoursJson, string Provider, string? ModelName, double? Temperature, int? MaxTokens,
        string? FallbackProvider, bool HasKnowledge);
}
