using System.Net;
using Parley.Server.Tests.Features.Webhooks;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Handoff;

public sealed class HandoffEmailTests
{
    [Fact]
    public async Task VisitorAsksForPerson_NotificationAddressGetsAnEmail()
    {
        using var smtp = await SmtpTestServer.StartAsync();
        var app = new WebhookApp()
            .With("Parley:Smtp:Host", "127.0.0.1")
            .With("Parley:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Parley:Smtp:Security", "none")
            .With("Parley:Smtp:From", "Parley <parley@shop.example>");
        await app.InitializeAsync();
        try
        {
            var client = app.Client();
            await (await client.PatchJsonAsync("/v1/workspace", new { notification_emails = new[] { "team@shop.example" } })).JsonAsync(HttpStatusCode.OK);
            var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync()))["conversation"]!.Id();

            await client.SendAsync(conversationId, "Please let me speak to a human");

            var email = await smtp.WaitForMessageAsync();
            Assert.Contains("To: team@shop.example", email, StringComparison.Ordinal);
            Assert.Contains("Subject: A visitor is waiting for a person", email, StringComparison.Ordinal);
            Assert.Contains(conversationId, email, StringComparison.Ordinal);
            Assert.Contains("visitor_request", email, StringComparison.Ordinal);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
