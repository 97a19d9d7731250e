using Parley.Engine.Knowledge;
using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Turns;

public sealed class TurnModelsTests
{
    [Fact]
    public void WithFlags_MessageAlreadyFlagged_KeepsItsFlagsAndAddsEachNewOnce()
    {
        var message = new TurnMessage("msg_1", MessageRole.Bot, "Hi", DateTimeOffset.UnixEpoch, [], Flags: ["pii"]);

        Assert.Equal(["pii", "link"], message.WithFlags(["link", "pii", "link"]).Flags);
        Assert.Equal(["link"], (message with { Flags = null }).WithFlags(["link"]).Flags);
    }

    [Theory]
    [InlineData(BotModelProfile.Builtin, false)]
    [InlineData("", false)]
    [InlineData("mpc_openai", true)]
    public void UsesModelProvider_OnlyForAProviderConnection(string provider, bool uses) =>
        Assert.Equal(uses, new BotModelProfile(provider, null, null, null, null).UsesModelProvider);

    [Fact]
    public void For_TextTheSearchWasMadeFor_TheSearch_OtherwiseNone()
    {
        var knowledge = new TurnKnowledge("kayak rental", new KnowledgeSearch(true, []));

        Assert.Same(knowledge.Search, knowledge.For("kayak rental"));
        Assert.Null(knowledge.For("Kayak rental"));
        Assert.Null(knowledge.For(null));
    }
}
