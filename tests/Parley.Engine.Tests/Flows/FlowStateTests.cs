using Parley.Engine.Flows;

namespace Parley.Engine.Tests.Flows;

public sealed class FlowStateTests
{
    [Fact]
    public void Serialize_RoundTrip_KeepsEveryFieldInSnakeCase()
    {
        var state = new FlowState { Node = "ask_date", Attempts = 2, AiTurns = 1, OfferedSlots = ["2026-12-04T09:00"] };
        state.Variables["name"] = "Ada";

        var json = state.Serialize();
        var back = FlowState.Deserialize(json);

        Assert.Contains("\"ai_turns\":1", json, StringComparison.Ordinal);
        Assert.Contains("\"offered_slots\"", json, StringComparison.Ordinal);
        Assert.Equal(("ask_date", false, 2, 1), (back.Node, back.Finished, back.Attempts, back.AiTurns));
        Assert.Equal("Ada", back.Variables["name"]);
        Assert.Equal(["2026-12-04T09:00"], back.OfferedSlots);
    }

    [Fact]
    public void Deserialize_JsonNull_AFreshState()
    {
        var state = FlowState.Deserialize("null");

        Assert.Null(state.Node);
        Assert.Empty(state.Variables);
    }
}
