using Parley.Engine.Assignment;

namespace Parley.Engine.Tests.Assignment;

public sealed class AssignmentRulesTests
{
    private static readonly DateTimeOffset Since = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, false)]
    public void HasRoom_CapacityThree_RoomBelowItNotAtIt(int open, bool room) =>
        Assert.Equal(room, new AssignmentRules(3, true, null).HasRoom(open));

    [Fact]
    public void HasRoom_NoCapacity_AlwaysRoom() => Assert.True(new AssignmentRules(null, true, null).HasRoom(10_000));

    [Theory]
    [InlineData(299, false)]
    [InlineData(300, true)]
    [InlineData(301, true)]
    public void IsOverdue_FiveMinutes_ExactlyFiveMinutesIsOverdue(int seconds, bool overdue) =>
        Assert.Equal(overdue, new AssignmentRules(null, false, 5).IsOverdue(Since, Since.AddSeconds(seconds)));

    [Fact]
    public void IsOverdue_OneTickBeforeTheMinute_NotYet() =>
        Assert.False(new AssignmentRules(null, false, 1).IsOverdue(Since, Since.AddMinutes(1).AddTicks(-1)));

    [Fact]
    public void IsOverdue_ReassignmentOff_Never() =>
        Assert.False(new AssignmentRules(null, false, null).IsOverdue(Since, Since.AddDays(30)));

    [Fact]
    public void IsOverdue_HolderSpokeLast_Never() =>
        Assert.False(new AssignmentRules(null, false, 1).IsOverdue(null, Since.AddDays(30)));

    [Theory]
    [InlineData(null, null)]
    [InlineData(1, 1)]
    [InlineData(100, 1440)]
    public void Problems_WithinBounds_None(int? capacity, int? minutes) =>
        Assert.Empty(new AssignmentRules(capacity, true, minutes).Problems());

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    [InlineData(-1)]
    public void Problems_CapacityOutOfBounds_NamesCapacity(int capacity)
    {
        var problems = new AssignmentRules(capacity, false, 10).Problems();
        Assert.Equal(["capacity"], problems.Keys);
        Assert.Contains("1 to 100", problems["capacity"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1441)]
    public void Problems_MinutesOutOfBounds_NamesMinutes(int minutes)
    {
        var problems = new AssignmentRules(5, false, minutes).Problems();
        Assert.Equal(["reassign_after_minutes"], problems.Keys);
        Assert.Contains("1 to 1440", problems["reassign_after_minutes"], StringComparison.Ordinal);
    }

    [Fact]
    public void None_NoLimitNoAutoAssignmentNoReassignment()
    {
        var now = Since + TimeSpan.FromDays(1);
        Assert.True(AssignmentRules.None.HasRoom(1_000));
        Assert.False(AssignmentRules.None.IsOverdue(Since, now));
        var plan = AssignmentPlanner.Plan(AssignmentRules.None, [new AgentLoad("usr_a", true, 0)], null,
            [new HeldConversation("conv_1", "usr_b", Since)], [new WaitingConversation("conv_2", Since)], now);
        Assert.Empty(plan.Decisions);
    }
}
