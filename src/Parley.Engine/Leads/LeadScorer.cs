namespace Parley.Engine.Leads;

/// <summary>
/// The rules that score a lead from 0 to 100. Each rule adds points; the total is capped at <see cref="Maximum"/>.
/// Bound from <c>Parley:Leads:Scoring</c>; the defaults are documented in <c>docs/leads.md</c>.
/// </summary>
public sealed class LeadScoringRules
{
    /// <summary>Points per field given: keys <c>name</c>, <c>email</c>, <c>phone</c>, <c>company</c>, <c>custom</c> (per custom field).</summary>
    public Dictionary<string, int> FieldPoints { get; set; } = new(StringComparer.Ordinal)
    {
        ["name"] = 10, ["email"] = 20, ["phone"] = 15, ["company"] = 10, ["custom"] = 2,
    };

    /// <summary>Words in the visitor's messages that show buying intent (matched case-insensitively, as whole words).</summary>
    public List<string> IntentKeywords { get; set; } = ["price", "pricing", "quote", "buy", "purchase", "demo", "trial", "book", "appointment", "contract", "urgent"];

    public int PointsPerIntentKeyword { get; set; } = 5;
    public int MaxIntentPoints { get; set; } = 20;

    /// <summary>Page URL fragments that show intent (for example <c>/pricing</c>); matched case-insensitively.</summary>
    public List<string> IntentPages { get; set; } = ["/pricing", "/contact", "/demo", "/book"];

    public int IntentPagePoints { get; set; } = 10;

    /// <summary>Points when the visit came from a campaign (any UTM parameter).</summary>
    public int CampaignPoints { get; set; } = 5;

    public int PointsPerVisitorMessage { get; set; } = 2;
    public int MaxEngagementPoints { get; set; } = 10;
    public int Maximum { get; set; } = 100;
}

/// <summary>What a lead's score is computed from.</summary>
public sealed record LeadScoreInput(
    bool HasName, bool HasEmail, bool HasPhone, bool HasCompany, int CustomFields,
    IReadOnlyList<string> VisitorMessages, string? PageUrl, IReadOnlyDictionary<string, string> Utm);

/// <summary>Applies <see cref="LeadScoringRules"/>: deterministic, so a lead's score can be explained.</summary>
public static class LeadScorer
{
    private static readonly char[] WordSeparators = [.. Enumerable.Range(0, 128).Select(i => (char)i).Where(c => !char.IsLetterOrDigit(c))];

    public static int Score(LeadScoringRules rules, LeadScoreInput input)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        var score = 0;
        score += input.HasName ? Points(rules, "name") : 0;
        score += input.HasEmail ? Points(rules, "email") : 0;
        score += input.HasPhone ? Points(rules, "phone") : 0;
        score += input.HasCompany ? Points(rules, "company") : 0;
        score += input.CustomFields * Points(rules, "custom");

        var words = input.VisitorMessages
            .SelectMany(m => m.ToLowerInvariant().Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var keywords = rules.IntentKeywords.Count(k => words.Contains(k.ToLowerInvariant()));
        score += Math.Min(rules.MaxIntentPoints, keywords * rules.PointsPerIntentKeyword);

        if (input.PageUrl is { } page && rules.IntentPages.Any(p => page.Contains(p, StringComparison.OrdinalIgnoreCase)))
        {
            score += rules.IntentPagePoints;
        }
        if (input.Utm.Count > 0)
        {
            score += rules.CampaignPoints;
        }
        score += Math.Min(rules.MaxEngagementPoints, input.VisitorMessages.Count * rules.PointsPerVisitorMessage);
        return Math.Clamp(score, 0, rules.Maximum);
    }

    private static int Points(LeadScoringRules rules, string field) => rules.FieldPoints.GetValueOrDefault(field);
}
