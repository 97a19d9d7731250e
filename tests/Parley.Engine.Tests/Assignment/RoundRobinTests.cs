using Parley.Engine.Assignment;

namespace Parley.Engine.Tests.Assignment;

public sealed class RoundRobinTests
{
    private static readonly AssignmentRules CapacityTwo = new(2, true, null);

    private static AgentLoad Agent(string id, int open = 0, bool online = true) => new(id, online, open);

    [Fact]
    public void Next_NobodyAssignedYet_FirstInIdOrder() =>
        Assert.Equal("usr_a", RoundRobin.Next([Agent("usr_c"), Agent("usr_a"), Agent("usr_b")], null, CapacityTwo)?.AgentId);

    [Theory]
    [InlineData("usr_a", "usr_b")]
    [InlineData("usr_b", "usr_c")]
    [InlineData("usr_c", "usr_a")]
    public void Next_AfterTheLastAssigned_WrapsRound(string last, string next) =>
        Assert.Equal(next, RoundRobin.Next([Agent("usr_a"), Agent("usr_b"), Agent("usr_c")], last, CapacityTwo)?.AgentId);

    [Fact]
    public void Next_SkipsAwayAndFullAgents()
    {
        AgentLoad[] agents = [Agent("usr_a"), Agent("usr_b", online: false), Agent("usr_c", open: 2), Agent("usr_d", open: 1)];
        Assert.Equal("usr_d", RoundRobin.Next(agents, "usr_a", CapacityTwo)?.AgentId);
    }

    [Fact]
    public void Next_LastAssignedLeft_TurnGoesToTheOneAfterWhereTheyStood() =>
        Assert.Equal("usr_c", RoundRobin.Next([Agent("usr_a"), Agent("usr_c")], "usr_b", CapacityTwo)?.AgentId);

    [Fact]
    public void Next_LastAssignedAfterEveryone_WrapsToTheFirst() =>
        Assert.Equal("usr_a", RoundRobin.Next([Agent("usr_a"), Agent("usr_b")], "usr_z", CapacityTwo)?.AgentId);

    [Fact]
    public void Next_OnlyTheLastAssignedHasRoom_GetsItAgain() =>
        Assert.Equal("usr_a", RoundRobin.Next([Agent("usr_a", open: 1), Agent("usr_b", open: 2)], "usr_a", CapacityTwo)?.AgentId);

    [Fact]
    public void Next_EveryoneFullOrAway_Nobody() =>
        Assert.Null(RoundRobin.Next([Agent("usr_a", open: 2), Agent("usr_b", online: false)], null, CapacityTwo));

    [Fact]
    public void Next_NoAgents_Nobody() => Assert.Null(RoundRobin.Next([], "usr_a", CapacityTwo));

    [Fact]
    public void Next_Excluded_Skipped() =>
        Assert.Equal("usr_a", RoundRobin.Next([Agent("usr_a"), Agent("usr_b")], "usr_a", CapacityTwo, excluded: "usr_b")?.AgentId);

    [Fact]
    public void Next_NoCapacity_FullNeverSkipped() =>
        Assert.Equal("usr_b", RoundRobin.Next([Agent("usr_a"), Agent("usr_b", open: 500)], "usr_a", new AssignmentRules(null, true, null))?.AgentId);
}
