using Parley.Engine.Assignment;

namespace Parley.Engine.Tests.Assignment;

public sealed class AssignmentPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    private static AgentLoad Agent(string id, int open = 0, bool online = true) => new(id, online, open);

    private static WaitingConversation Waiting(string id, int minutesAgo) => new(id, Now.AddMinutes(-minutesAgo));

    private static HeldConversation Held(string id, string holder, int? minutesAgo) =>
        new(id, holder, minutesAgo is { } m ? Now.AddMinutes(-m) : null);

    private static string Describe(AssignmentPlan plan) =>
        string.Join(", ", plan.Decisions.Select(d => $"{d.ConversationId}>{d.AgentId ?? "queue"}"));

    [Fact]
    public void Plan_AutoAssign_OldestFirstInTurnsUntilEveryoneIsFull()
    {
        var rules = new AssignmentRules(2, true, null);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 1), Agent("usr_b")], null, [],
            [Waiting("conv_3", 1), Waiting("conv_1", 9), Waiting("conv_2", 5), Waiting("conv_4", 0)], Now);

        Assert.Equal("conv_1>usr_a, conv_2>usr_b, conv_3>usr_b", Describe(plan));
        Assert.All(plan.Decisions, d => Assert.Equal(AssignmentReason.AutoAssigned, d.Reason));
        Assert.All(plan.Decisions, d => Assert.Null(d.PreviousHolderId));
        Assert.Equal("usr_b", plan.LastAssigned);
    }

    [Fact]
    public void Plan_AutoAssign_ContinuesAfterTheLastAssigned()
    {
        var plan = AssignmentPlanner.Plan(new AssignmentRules(null, true, null), [Agent("usr_a"), Agent("usr_b"), Agent("usr_c")], "usr_b", [],
            [Waiting("conv_1", 3), Waiting("conv_2", 2)], Now);
        Assert.Equal("conv_1>usr_c, conv_2>usr_a", Describe(plan));
        Assert.Equal("usr_a", plan.LastAssigned);
    }

    [Fact]
    public void Plan_AutoAssignOff_WaitingStayWaiting()
    {
        var plan = AssignmentPlanner.Plan(new AssignmentRules(null, false, null), [Agent("usr_a")], "usr_a", [], [Waiting("conv_1", 3)], Now);
        Assert.Empty(plan.Decisions);
        Assert.Equal("usr_a", plan.LastAssigned);
    }

    [Fact]
    public void Plan_Overdue_GoesToTheNextAgentAndIsCountedThere()
    {
        var rules = new AssignmentRules(1, true, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 2), Agent("usr_b")], "usr_b",
            [Held("conv_1", "usr_a", 5), Held("conv_2", "usr_a", 4)], [Waiting("conv_3", 1)], Now);

        var decision = Assert.Single(plan.Decisions);
        Assert.Equal(new AssignmentDecision("conv_1", "usr_b", AssignmentReason.Unanswered, "usr_a"), decision);
        Assert.Equal("usr_b", plan.LastAssigned);
    }

    [Fact]
    public void Plan_Overdue_FreesTheHoldersRoomForAWaitingOne()
    {
        var rules = new AssignmentRules(1, true, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 1), Agent("usr_b")], null,
            [Held("conv_1", "usr_a", 6)], [Waiting("conv_2", 1)], Now);
        Assert.Equal("conv_1>usr_b, conv_2>usr_a", Describe(plan));
    }

    [Fact]
    public void Plan_Overdue_LongestOverdueFirst()
    {
        var rules = new AssignmentRules(1, true, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 2), Agent("usr_b")], null,
            [Held("conv_1", "usr_a", 6), Held("conv_2", "usr_a", 9)], [], Now);
        Assert.Equal("conv_2>usr_b", Describe(plan));
    }

    [Fact]
    public void Plan_OverdueNobodyElseHasRoomHolderOnline_StaysPut()
    {
        var rules = new AssignmentRules(1, true, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 1), Agent("usr_b", open: 1)], null,
            [Held("conv_1", "usr_a", 30)], [], Now);
        Assert.Empty(plan.Decisions);
    }

    [Fact]
    public void Plan_OverdueNobodyElseHolderAway_BackToTheQueue()
    {
        var rules = new AssignmentRules(1, true, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 1, online: false)], "usr_a",
            [Held("conv_1", "usr_a", 5)], [], Now);
        Assert.Equal(new AssignmentDecision("conv_1", null, AssignmentReason.Unanswered, "usr_a"), Assert.Single(plan.Decisions));
        Assert.Equal("usr_a", plan.LastAssigned);
    }

    [Fact]
    public void Plan_OverdueHeldByAKeyNobodyElse_BackToTheQueue()
    {
        var plan = AssignmentPlanner.Plan(new AssignmentRules(null, true, 5), [], null, [Held("conv_1", "key_x", 5)], [], Now);
        Assert.Equal("conv_1>queue", Describe(plan));
    }

    [Fact]
    public void Plan_OverdueWithoutAutoAssign_BackToTheQueueEvenWithAgentsFree()
    {
        var rules = new AssignmentRules(null, false, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 3), Agent("usr_b")], null,
            [Held("conv_1", "usr_a", 5), Held("conv_2", "usr_a", 4), Held("conv_3", "usr_a", null)], [Waiting("conv_4", 1)], Now);
        Assert.Equal(new AssignmentDecision("conv_1", null, AssignmentReason.Unanswered, "usr_a"), Assert.Single(plan.Decisions));
        Assert.Null(plan.LastAssigned);
    }

    [Fact]
    public void Plan_OverdueThenWaiting_ReassignedOneCountsAgainstTheNewHolder()
    {
        var rules = new AssignmentRules(1, true, 5);
        var plan = AssignmentPlanner.Plan(rules, [Agent("usr_a", open: 1), Agent("usr_b"), Agent("usr_c", online: false)], "usr_a",
            [Held("conv_1", "usr_a", 5)], [Waiting("conv_2", 1), Waiting("conv_3", 0)], Now);
        // conv_1 moves to b; a has room again and takes conv_2; nobody has room for conv_3.
        Assert.Equal("conv_1>usr_b, conv_2>usr_a", Describe(plan));
        Assert.Equal("usr_a", plan.LastAssigned);
    }
}
