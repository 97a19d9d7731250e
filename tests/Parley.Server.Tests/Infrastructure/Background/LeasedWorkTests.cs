using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Features.Notifications;
using Parley.Server.Features.Webhooks;

namespace Parley.Server.Tests.Infrastructure.Background;

/// <summary>
/// The webhook dispatcher and the email sender lease what they send: two nodes never send the same email or webhook
/// attempt twice, and when a node dies mid-lease another node takes the work over once the lease lapses, sending it
/// again with the same ids (webhook-id, Message-ID) so the receiver can tell it is a repeat.
/// </summary>
public sealed class LeasedWorkTests
{
    [Fact]
    public async Task TwoNodesRacingForTheQueue_EachEmailAndWebhookSentExactlyOnce()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return; // one SQLite file has one node
        }
        using var smtp = await SmtpTestServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(both: node => node.Deliver(smtp));
        var botId = await SubscribeAsync(nodes.A.Client(), receiver);
        const int Handoffs = 30;
        using var racing = new CancellationTokenSource();
        // Besides each node's own worker loop, passes on both nodes at once, all the time: they compete for every row.
        var race = RaceAsync(nodes, racing.Token);

        var clients = new[] { nodes.A.Client(), nodes.B.Client() };
        await Task.WhenAll(Enumerable.Range(0, Handoffs).Select(i => HandOffAsync(clients[i % 2], botId)));
        await receiver.WaitForAsync(Handoffs, TimeSpan.FromSeconds(30));
        await smtp.WaitForMessagesAsync(Handoffs, TimeSpan.FromSeconds(30));
        await AllRecordedAsync(nodes.A, Handoffs);
        await racing.CancelAsync();
        await race;

        // Everything recorded as sent, so any second send would have happened by now.
        Assert.Equal(Handoffs, receiver.Requests.Count);
        Assert.Equal(Handoffs, receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        var emails = await smtp.WaitForMessagesAsync(Handoffs);
        Assert.Equal(Handoffs, emails.Count);
        Assert.Equal(Handoffs, emails.Select(LeasedWork.MessageId).Distinct().Count());
    }

    [Fact]
    public async Task NodeDiedMidLease_TakenOverOnceTheLeaseLapses_SentAgainWithTheSameIds()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var node = new ClockedNode();
        node.Deliver(smtp);
        await node.InitializeAsync();
        try
        {
            await HandOffAsync(node.Client(), await SubscribeAsync(node.Client(), receiver));
            var first = (await receiver.WaitForAsync(1)).Single();
            var firstEmail = (await smtp.WaitForMessagesAsync(1)).Single();
            await AllRecordedAsync(node, 1);

            // What a node that died after sending, before recording, leaves behind: work still pending, leased to it.
            var crashedLeaseUntil = node.Time.GetUtcNow() + TimeSpan.FromMinutes(2);
            await node.DbAsync(async db =>
                await db.WebhookDeliveries.IgnoreQueryFilters().ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending)
                    .SetProperty(d => d.LeaseOwner, "node_crashed")
                    .SetProperty(d => d.LeaseUntil, crashedLeaseUntil))
                + await db.EmailNotifications.IgnoreQueryFilters().ExecuteUpdateAsync(s => s
                    .SetProperty(n => n.Status, EmailStatus.Pending)
                    .SetProperty(n => n.LeaseOwner, "node_crashed")
                    .SetProperty(n => n.LeaseUntil, crashedLeaseUntil)));

            node.Time.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(0, await node.Worker<WebhookDispatcher>().RunOnceAsync(CancellationToken.None));
            Assert.Equal(0, await node.Worker<EmailDispatcher>().RunOnceAsync(CancellationToken.None));
            Assert.Single(receiver.Requests);

            node.Time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
            var again = (await receiver.WaitForAsync(2))[1];
            var emails = await smtp.WaitForMessagesAsync(2);

            Assert.Equal(first.Headers["webhook-id"], again.Headers["webhook-id"]);
            Assert.Equal(first.Body, again.Body);
            Assert.All(emails, email => Assert.Equal(LeasedWork.MessageId(firstEmail), LeasedWork.MessageId(email)));
            await AllRecordedAsync(node, 1);
        }
        finally
        {
            await ((IAsyncLifetime)node).DisposeAsync();
        }
    }

    private static async Task<string> SubscribeAsync(HttpClient owner, WebhookReceiver receiver)
    {
        await (await owner.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "team@shop.example" } })).JsonAsync(HttpStatusCode.OK);
        await (await owner.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "handoff.requested" } }))
            .JsonAsync(HttpStatusCode.Created);
        return await owner.CreateBotAsync();
    }

    private static async Task HandOffAsync(HttpClient client, string botId)
    {
        var conversationId = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        await (await client.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>Waits until every delivery and email is recorded as sent and no lease is held.</summary>
    private static async Task AllRecordedAsync(ParleyApp node, int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var (delivered, sent, leased) = await node.DbAsync(async db => (
                await db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.Status == WebhookDeliveryStatus.Delivered),
                await db.EmailNotifications.IgnoreQueryFilters().CountAsync(n => n.Status == EmailStatus.Sent),
                await db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.LeaseOwner != null)
                    + await db.EmailNotifications.IgnoreQueryFilters().CountAsync(n => n.LeaseOwner != null)));
            if (delivered == expected && sent == expected && leased == 0)
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"Expected {expected} deliveries and emails recorded, got {delivered} and {sent} ({leased} leased).");
            await Task.Delay(50);
        }
    }

    private static async Task RaceAsync(TwoNodes nodes, CancellationToken stop)
    {
        var (hooksA, hooksB) = (nodes.A.Worker<WebhookDispatcher>(), nodes.B.Worker<WebhookDispatcher>());
        var (emailA, emailB) = (nodes.A.Worker<EmailDispatcher>(), nodes.B.Worker<EmailDispatcher>());
        while (!stop.IsCancellationRequested)
        {
            await Task.WhenAll(hooksA.RunOnceAsync(CancellationToken.None), hooksB.RunOnceAsync(CancellationToken.None),
                emailA.RunOnceAsync(CancellationToken.None), emailB.RunOnceAsync(CancellationToken.None));
        }
    }
}
