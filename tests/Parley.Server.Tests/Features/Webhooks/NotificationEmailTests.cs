using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Webhooks;

public sealed class NotificationEmailTests
{
    [Fact]
    public async Task EndpointDisabled_OwnerGetsAnEmail()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer(410);
        var app = new WebhookApp()
            .With("Parley:Smtp:Host", "127.0.0.1")
            .With("Parley:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Parley:Smtp:Security", "none")
            .With("Parley:Smtp:From", "Parley <parley@shop.example>");
        await app.InitializeAsync();
        try
        {
            var client = app.Client();
            var workspace = await (await client.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "owner@shop.example" } }))
                .JsonAsync(HttpStatusCode.OK);
            Assert.Equal("owner@shop.example", (string?)workspace["notification_emails"]![0]);
            var endpointId = (await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "conversation.started" } }))
                .JsonAsync(HttpStatusCode.Created)).Id();

            await client.StartConversationAsync(await client.CreateBotAsync());

            var email = await smtp.WaitForMessageAsync();
            Assert.Contains("To: owner@shop.example", email, StringComparison.Ordinal);
            Assert.Contains("From: Parley <parley@shop.example>", email, StringComparison.Ordinal);
            Assert.Contains("Subject: Webhook endpoint disabled: " + receiver.Url, email, StringComparison.Ordinal);
            Assert.Contains(endpointId, email, StringComparison.Ordinal);
            Assert.Contains("410", email, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }

    [Fact]
    public async Task Workspace_InvalidNotificationEmail_400()
    {
        var app = new ParleyApp();
        await app.InitializeAsync();
        try
        {
            await (await app.Client().PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "not an address" } }))
                .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
            var workspace = await (await app.Client().GetAsync("/v1/workspace")).JsonAsync(HttpStatusCode.OK);
            Assert.Empty(workspace["notification_emails"]!.AsArray());
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
