using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Engine.Turns;
using Parley.Server.Features.Notifications;
using Parley.Server.Features.Webhooks;
using Parley.Server.Tests.Infrastructure.Background;

namespace Parley.Server.Tests.Infrastructure.Shutdown;

/// <summary>
/// A node stopped as SIGTERM stops it: it says at once that it is not ready, serves on through the drain delay,
/// then refuses new requests with 503 and Retry-After; the turn it had under way finishes and is stored once; and the
/// work it held leases on goes to another node at once instead of when the leases lapse.
/// </summary>
public sealed class NodeDrainTests
{
    [Fact]
    public async Task Stop_TurnInFlight_NotReadyAtOnce_ServesThroughTheDrainDelay_ThenRefuses_TurnStoredOnce()
    {
        await using var model = await FakeModelServer.StartAsync();
        var answer = new TaskCompletionSource();
        model.Then(new("Answered while the node stopped.", Until: answer.Task));
        var node = new ClockedNode();
        node.With("Parley:Network:AllowPrivateTargets", "true").With("Parley:Shutdown:DrainDelay", "00:00:10");
        await node.InitializeAsync();
        try
        {
            var client = node.Client();
            var conversationId = await ModelConversationAsync(client, model);
            var turn = client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "A question the model takes a while over" });
            await Eventually.TrueAsync(() => Task.FromResult(!model.Requests.IsEmpty), "The turn did not reach the model.");

            var stopping = node.StopAsync();
            await Eventually.TrueAsync(async () => (await client.GetAsync("/readyz")).StatusCode == HttpStatusCode.ServiceUnavailable,
                "/readyz did not answer unhealthy once the node started stopping.");
            using (var during = await client.GetAsync("/v1/bots"))
            {
                Assert.Equal(HttpStatusCode.OK, during.StatusCode);
                Assert.True(during.Headers.ConnectionClose, "A response while draining keeps its connection open.");
            }

            node.Time.Advance(TimeSpan.FromSeconds(10));
            await Eventually.TrueAsync(async () => (await client.GetAsync("/v1/bots")).StatusCode == HttpStatusCode.ServiceUnavailable,
                "A request after the drain delay was not refused.");
            using (var after = await client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { text = "Too late" }))
            {
                await after.ProblemAsync(HttpStatusCode.ServiceUnavailable, "node_stopping");
                Assert.Equal(TimeSpan.FromSeconds(1), after.Headers.RetryAfter?.Delta);
            }
            Assert.False(stopping.IsCompleted, "The node stopped with a turn under way.");

            answer.SetResult();
            using var answered = await turn;
            Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
            await stopping.WaitAsync(TimeSpan.FromSeconds(30));

            var restarted = new ParleyApp(node.DataDirectory, node.PostgresDatabase) { KeepDatabase = true };
            await restarted.InitializeAsync();
            List<MessageRole> roles;
            try
            {
                roles = await restarted.DbAsync(db => db.Messages.IgnoreQueryFilters().AsNoTracking()
                    .Where(m => m.ConversationId == conversationId).OrderBy(m => m.Id).Select(m => m.Role).ToListAsync());
            }
            finally
            {
                await ((IAsyncLifetime)restarted).DisposeAsync();
            }
            // After the greeting, if any: the question once, then its one answer.
            Assert.Equal([MessageRole.User, MessageRole.Bot], roles.SkipWhile(r => r == MessageRole.Bot));
            Assert.Single(model.Requests);
        }
        finally
        {
            answer.TrySetResult();
            await ((IAsyncLifetime)node).DisposeAsync();
        }
    }

    [Fact]
    public async Task Stop_WebhooksAndEmailsItHolds_AnotherNodeSendsThemAtOnce_WithTheSameIds()
    {
        if (ParleyApp.PostgresServer is null)
        {
            return; // one SQLite file has one node
        }
        using var smtp = await SmtpTestServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await TwoNodes.StartAsync(new ClockedNode(), both: node => node.Deliver(smtp),
            besideA: a => new ClockedNode(a.DataDirectory, a.PostgresDatabase) { KeepDatabase = true });
        var (a, b) = ((ClockedNode)nodes.A, (ClockedNode)nodes.B);
        const int Handoffs = 3;
        var owner = a.Client();
        await (await owner.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "team@shop.example" } })).JsonAsync(HttpStatusCode.OK);
        await (await owner.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "handoff.requested" } }))
            .JsonAsync(HttpStatusCode.Created);
        var botId = await owner.CreateBotAsync();
        for (var i = 0; i < Handoffs; i++)
        {
            var conversationId = (await owner.StartConversationAsync(botId))["conversation"]!.Id();
            await (await owner.PostJsonAsync($"/v1/conversations/{conversationId}/handoff", new { })).JsonAsync(HttpStatusCode.OK);
        }
        var first = await receiver.WaitForAsync(Handoffs);
        var firstEmails = await smtp.WaitForMessagesAsync(Handoffs);

        // What node A holds in the middle of a pass: every delivery and email pending again, leased to it for two minutes.
        var (hooks, emails) = (a.Worker<WebhookDispatcher>().Owner, a.Worker<EmailDispatcher>().Owner);
        var until = a.Time.GetUtcNow() + TimeSpan.FromMinutes(2);
        await Eventually.TrueAsync(() => a.DbAsync(async db =>
            await db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.Status == WebhookDeliveryStatus.Delivered) == Handoffs
            && await db.EmailNotifications.IgnoreQueryFilters().CountAsync(n => n.Status == EmailStatus.Sent) == Handoffs),
            "The first deliveries and emails were not recorded.");
        await a.DbAsync(async db =>
            await db.WebhookDeliveries.IgnoreQueryFilters().ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, WebhookDeliveryStatus.Pending).SetProperty(d => d.LeaseOwner, hooks).SetProperty(d => d.LeaseUntil, until))
            + await db.EmailNotifications.IgnoreQueryFilters().ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, EmailStatus.Pending).SetProperty(n => n.LeaseOwner, emails).SetProperty(n => n.LeaseUntil, until)));
        Assert.Equal(0, await b.Worker<WebhookDispatcher>().RunOnceAsync(CancellationToken.None));
        Assert.Equal(0, await b.Worker<EmailDispatcher>().RunOnceAsync(CancellationToken.None));

        await a.StopAsync();

        // Node B's own polling takes them; neither clock has moved, so no lease lapsed.
        var again = (await receiver.WaitForAsync(2 * Handoffs, TimeSpan.FromSeconds(20))).Skip(Handoffs).ToList();
        var emailsAgain = (await smtp.WaitForMessagesAsync(2 * Handoffs, TimeSpan.FromSeconds(20))).ToList();
        Assert.Equal(first.Select(r => r.Headers["webhook-id"]).Order(), again.Select(r => r.Headers["webhook-id"]).Order());
        Assert.Equal(firstEmails.Select(LeasedWork.MessageId).Order(), emailsAgain.Select(LeasedWork.MessageId).Distinct().Order());
        Assert.All(emailsAgain.GroupBy(LeasedWork.MessageId), sent => Assert.Equal(2, sent.Count()));
        Assert.True(a.Time.GetUtcNow() < until && b.Time.GetUtcNow() < until);
        await Eventually.TrueAsync(() => b.DbAsync(async db =>
            await db.WebhookDeliveries.IgnoreQueryFilters().CountAsync(d => d.Status == WebhookDeliveryStatus.Delivered && d.LeaseOwner == null) == Handoffs
            && await db.EmailNotifications.IgnoreQueryFilters().CountAsync(n => n.Status == EmailStatus.Sent && n.LeaseOwner == null) == Handoffs),
            "Node B did not record what it sent.");
    }

    private static async Task<string> ModelConversationAsync(HttpClient client, FakeModelServer model)
    {
        var provider = (await (await client.PostJsonAsync("/v1/model-providers", new
        {
            name = "openai",
            kind = "openai",
            base_url = model.OpenAiBaseUrl,
            api_key = "test-key-1234",
        })).JsonAsync(HttpStatusCode.Created)).Id();
        var bot = (await (await client.PostJsonAsync("/v1/bots", new
        {
            name = "Slow model",
            instructions = "Answer briefly.",
            model = new { provider, name = "test-model-1" },
            escalation = new { enabled = false },
        })).JsonAsync(HttpStatusCode.Created)).Id();
        return (await client.StartConversationAsync(bot)).Id("conversation.id");
    }
}
