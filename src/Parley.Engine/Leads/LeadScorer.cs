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

/// <summary>One rule's share of a score: the rule (<c>field:email</c>, <c>intent_keywords</c>, …), its points and what matched.</summary>
public sealed record LeadScorePart(string Rule, int Points, string Detail);

/// <summary>Applies <see cref="LeadScoringRules"/>: deterministic, so a lead's score can be explained.</summary>
public static class LeadScorer
{
    private static readonly char[] WordSeparators = [.. Enumerable.Range(0, 128).Select(i => (char)i).Where(c => !char.IsLetterOrDigit(c))];

    public static int Score(LeadScoringRules rules, LeadScoreInput input) =>
        Math.Clamp(Explain(rules, input).Sum(p => p.Points), 0, rules.Maximum);

    /// <summary>The rules that gave points, in the order they are applied; their sum capped at the maximum is the score.</summary>
    public static IReadOnlyList<LeadScorePart> Explain(LeadScoringRules rules, LeadScoreInput input)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(input);
        var parts = new List<LeadScorePart>();
        void Add(string rule, int points, string detail)
        {
            if (points != 0)
            {
                parts.Add(new LeadScorePart(rule, points, detail));
            }
        }
        Add("field:name", input.HasName ? Points(rules, "name") : 0, "name given");
        Add("field:email", input.HasEmail ? Points(rules, "email") : 0, "email given");
        Add("field:phone", input.HasPhone ? Points(rules, "phone") : 0, "phone given");
        Add("field:company", input.HasCompany ? Points(rules, "company") : 0, "company given");
        Add("field:custom", input.CustomFields * Points(rules, "custom"), $"{input.CustomFields} custom field(s) given");

        var words = input.VisitorMessages
            .SelectMany(m => m.ToLowerInvariant().Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        var keywords = rules.IntentKeywords.Where(k => words.Contains(k.ToLowerInvariant())).ToList();
        Add("intent_keywords", Math.Min(rules.MaxIntentPoints, keywords.Count * rules.PointsPerIntentKeyword),
            "the visitor wrote " + string.Join(", ", keywords));

        if (input.PageUrl is { } page && rules.IntentPages.FirstOrDefault(p => page.Contains(p, StringComparison.OrdinalIgnoreCase)) is { } intentPage)
        {
            Add("intent_page", rules.IntentPagePoints, $"the page URL contains {intentPage}");
        }
        Add("campaign", input.Utm.Count > 0 ? rules.CampaignPoints : 0, "the visit came from a campaign (" + string.Join(", ", input.Utm.Keys) + ")");
        Add("engagement", Math.Min(rules.MaxEngagementPoints, input.VisitorMessages.Count * rules.PointsPerVisitorMessage),
            $"{input.VisitorMessages.Count} visitor message(s)");
        return parts;
    }

    private static int Points(LeadScoringRules rules, string field) => rules.FieldPoints.GetValueOrDefault(field);
}
