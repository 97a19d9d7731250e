namespace Parley.Engine.Leads;

/// <summary>The lead pipeline: new → contacted → qualified → won or lost (lost from any open stage).</summary>
public static class LeadStatus
{
    public const string New = "new";
    public const string Contacted = "contacted";
    public const string Qualified = "qualified";
    public const string Won = "won";
    public const string Lost = "lost";

    public static IReadOnlyList<string> All { get; } = [New, Contacted, Qualified, Won, Lost];

    /// <summary>Whether a lead may move from <paramref name="from"/> to <paramref name="to"/>; staying put is allowed.</summary>
    public static bool CanMove(string from, string to) => from == to || (from, to) switch
    {
        (New, Contacted) or (New, Lost) => true,
        (Contacted, Qualified) or (Contacted, Lost) => true,
        (Qualified, Won) or (Qualified, Lost) => true,
        _ => false,
    };

    /// <summary>Where a lead in <paramref name="from"/> may go next.</summary>
    public static IReadOnlyList<string> Next(string from) => [.. All.Where(to => to != from && CanMove(from, to))];
}
