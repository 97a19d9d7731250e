using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Parley.Data;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// Waiting for the embedding worker: until a passage has its vector, it is found and answered by keywords alone, and
/// no topic is offered for it.
/// </summary>
public static class KnowledgeVectors
{
    /// <summary>Waits until every passage (of <paramref name="botId"/>, or of every bot) has its vector.</summary>
    public static Task WaitAsync(IServiceProvider services, string? botId = null, int minutes = 2) => Eventually.TrueAsync(
        async () =>
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var chunks = await db.KnowledgeChunks.IgnoreQueryFilters().CountAsync(c => botId == null || c.BotId == botId);
            var vectors = await db.KnowledgeChunkVectors.IgnoreQueryFilters().CountAsync(v => botId == null || v.BotId == botId);
            return chunks > 0 && vectors >= chunks;
        },
        $"the knowledge's passages were not all embedded after {minutes} minutes",
        TimeSpan.FromMinutes(minutes));
}
