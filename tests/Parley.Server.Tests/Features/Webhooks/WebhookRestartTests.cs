using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Webhooks;

public sealed class WebhookRestartTests
{
    [Fact]
    public async Task PendingRetry_DeliveredAfterRestartWithTheSameId()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 500;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));
        var first = new ParleyApp(dataDirectory) { KeepDatabase = true }
            .With("Parley:Network:AllowPrivateTargets", "true")
            .With("Parley:Webhooks:RetrySchedule:0", "00:00:01");
        await first.InitializeAsync();
        var client = first.Client();
        (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" } })).EnsureSuccessStatusCode();
        await client.StartConversationAsync(await client.CreateBotAsync());
        var failedAttempt = Assert.Single(await receiver.WaitForAsync(1));
        var database = first.PostgresDatabase;
        await ((IAsyncLifetime)first).DisposeAsync();

        receiver.DefaultStatus = 200;
        var second = new ParleyApp(dataDirectory, database)
            .With("Parley:Network:AllowPrivateTargets", "true")
            .With("Parley:Webhooks:RetrySchedule:0", "00:00:01");
        await second.InitializeAsync();
        try
        {
            var received = await receiver.WaitForAsync(2);
            Assert.Equal(failedAttempt.Headers["webhook-id"], received[1].Headers["webhook-id"]);
            Assert.Equal(failedAttempt.Body, received[1].Body);
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }

    [Fact]
    public async Task CrashedNodesLease_Lapses_ThenDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var app = new WebhookApp();
        await app.InitializeAsync();
        try
        {
            var client = app.Client();
            (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" } })).EnsureSuccessStatusCode();
            // A node claimed the delivery and died (kill -9) before sending: its lease is the only trace.
            var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();
            Assert.Single(await receiver.WaitForAsync(1));
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters().AnyAsync(d => d.Status != "delivered")))
            {
                Assert.True(DateTime.UtcNow < deadline, "the first delivery was not recorded");
                await Task.Delay(20);
            }

            var leaseUntil = DateTimeOffset.UtcNow.AddSeconds(1);
            await app.DbAsync(db => db.WebhookDeliveries.IgnoreQueryFilters()
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, "pending").SetProperty(d => d.NextAttemptAt, DateTimeOffset.UtcNow)
                    .SetProperty(d => d.LeaseOwner, "node_dead").SetProperty(d => d.LeaseUntil, leaseUntil)));

            var received = await receiver.WaitForAsync(2);
            Assert.True(received[1].At >= leaseUntil.AddMilliseconds(-50), "delivered again before the dead node's lease lapsed");
            Assert.Equal(received[0].Headers["webhook-id"], received[1].Headers["webhook-id"]);
            Assert.Contains(conversationId, received[1].Body, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
