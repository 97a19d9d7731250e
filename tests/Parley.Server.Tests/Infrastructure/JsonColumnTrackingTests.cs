using Microsoft.EntityFrameworkCore;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// JSON columns are snapshotted and compared by their entries: a row saved unchanged writes nothing, and a dictionary
/// changed in place is still written.
/// </summary>
public sealed class JsonColumnTrackingTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task SaveChanges_JsonColumnsUnchanged_WritesNothing()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync(),
            metadata: new { utm = new Dictionary<string, string> { ["utm_source"] = "news" } }))["conversation"]!.Id();
        await client.SendAsync(conversationId, "Hello?");

        var written = await app.DbAsync(async db =>
        {
            await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId);
            await db.Messages.IgnoreQueryFilters().Where(m => m.ConversationId == conversationId).ToListAsync();
            return await db.SaveChangesAsync();
        });

        Assert.Equal(0, written);
    }

    [Fact]
    public async Task SaveChanges_DictionariesChangedInPlace_AreWritten()
    {
        var client = app.Client();
        var conversationId = (await client.StartConversationAsync(await client.CreateBotAsync(),
            metadata: new { utm = new Dictionary<string, string> { ["utm_source"] = "news" } }))["conversation"]!.Id();
        var replyId = (await client.SendAsync(conversationId, "Hello?"))["messages"]![0]!.Id();

        var written = await app.DbAsync(async db =>
        {
            var conversation = await db.Conversations.IgnoreQueryFilters().SingleAsync(c => c.Id == conversationId);
            conversation.Utm["utm_source"] = "mail";
            var reply = await db.Messages.IgnoreQueryFilters().SingleAsync(m => m.Id == replyId);
            reply.Timings!["capture"] = 123.5;
            return await db.SaveChangesAsync();
        });

        Assert.Equal(2, written);
        var utm = await app.DbAsync(db => db.Conversations.IgnoreQueryFilters().Where(c => c.Id == conversationId).Select(c => c.Utm).SingleAsync());
        Assert.Equal("mail", utm["utm_source"]);
        var timings = await app.DbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.Id == replyId).Select(m => m.Timings).SingleAsync());
        Assert.Equal(123.5, timings!["capture"]);
    }
}
