using System.Net;
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
}
