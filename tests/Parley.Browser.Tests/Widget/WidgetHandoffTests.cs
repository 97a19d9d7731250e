using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Widget;

[Collection(BrowserCollection.Name)]
public sealed class WidgetHandoffTests(BrowserFixture fixture)
{
    [Fact]
    public async Task AskForPerson_AgentReplies_ReplyAppearsLiveWithStatus()
    {
        await using var context = await fixture.Browser.NewContextAsync();
        var widget = await WidgetPage.OpenAsync(context, fixture.Server.Url + "/");
        await widget.OpenChatAsync();

        var ask = "I want to talk to a person " + Guid.NewGuid().ToString("N")[..6];
        await widget.SendAsync(ask);
        await Expect(widget.Status).ToHaveTextAsync("Waiting for a person…");
        var conversationId = (await fixture.Server.MessagesWithTextAsync(ask)).Single().ConversationId;

        using var agent = new HttpClient { BaseAddress = new Uri(fixture.Server.Url) };
        agent.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        (await agent.PostAsJsonAsync($"/v1/conversations/{conversationId}/claim", new { })).EnsureSuccessStatusCode();
        var reply = "Hello, this is Alex from the team. " + Guid.NewGuid().ToString("N")[..6];
        (await agent.PostAsJsonAsync($"/v1/conversations/{conversationId}/agent-messages", new { text = reply })).EnsureSuccessStatusCode();

        // No reload, no typing: the stream brings the reply and the new status.
        await Expect(widget.Bubbles("agent").Last).ToHaveTextAsync(reply);
        await Expect(widget.Status).ToHaveTextAsync("You're chatting with a person");
        await widget.ScreenshotAsync("12-agent-reply");
        Assert.Empty(await widget.ViolationsAsync());
    }
}
