using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Turns;

namespace Parley.Server.Features.Conversations.Turns;

/// <summary>
/// The side-effects and return stages end after the turn's transaction, so their times cannot be in it. They are
/// added to the stored bot messages afterwards, in batches off the request path. If the process stops before a batch
/// is written, those messages keep the timings of the first four stages.
/// </summary>
public sealed class MessageTimingsRecorder
{
    private readonly Channel<(string MessageId, Dictionary<string, double> Timings)> _pending =
        Channel.CreateBounded<(string, Dictionary<string, double>)>(new BoundedChannelOptions(50_000)
        {
            FullMode = BoundedChannelFullMode.DropWrite,
            SingleReader = true,
        });

    public void Record(TurnContext turn)
    {
        var timings = new Dictionary<string, double>(turn.Timings.ToDictionary());
        foreach (var reply in turn.Replies)
        {
            _pending.Writer.TryWrite((reply.Id, timings));
        }
    }

    internal ChannelReader<(string MessageId, Dictionary<string, double> Timings)> Reader => _pending.Reader;
}

public sealed class MessageTimingsWriter(MessageTimingsRecorder recorder, IServiceScopeFactory scopes, ILogger<MessageTimingsWriter> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<(string MessageId, Dictionary<string, double> Timings)>(BatchSize);
        try
        {
            while (await recorder.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && recorder.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }
                await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException)
        {
        }
        while (recorder.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }
        await WriteAsync(batch);
    }

    private async Task WriteAsync(List<(string MessageId, Dictionary<string, double> Timings)> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var ids = batch.Select(b => b.MessageId).ToList();
            var messages = await db.Messages.IgnoreQueryFilters().Where(m => ids.Contains(m.Id)).ToListAsync();
            var byId = batch.ToDictionary(b => b.MessageId, b => b.Timings);
            foreach (var message in messages)
            {
                message.Timings = byId[message.Id];
            }
            await db.SaveChangesAsync();
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not store the timings of {Count} messages", batch.Count);
        }
    }
}
