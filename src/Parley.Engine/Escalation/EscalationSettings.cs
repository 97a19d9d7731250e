using System.Text.Json;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Escalation;

/// <summary>When a bot hands a conversation to a person (the <c>escalation</c> object of a bot); see docs/guardrails.md.</summary>
public sealed record EscalationSettings
{
    public static EscalationSettings Default { get; } = new();

    /// <summary>Off: no trigger fires, though the API can still hand a conversation over.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Hand over when the visitor asks for a person (<see cref="HandoffPhrases"/>) or presses the quick reply.</summary>
    public bool OnRequest { get; init; } = true;

    /// <summary>Hand over after this many unanswered turns in a row; 0 turns it off.</summary>
    public int UnansweredTurns { get; init; } = 3;

    /// <summary>Hand over when a message scores at or below this (<see cref="SentimentScorer"/>, from -1 to 1); null turns it off.</summary>
    public double? NegativeSentiment { get; init; } = -0.6;

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Hand over when the conversation's lead scores above this; null turns it off.</summary>
    public double? LeadScoreAbove { get; init; }

    /// <summary>What the visitor is asked when nobody can take over now; null for the default text.</summary>
    public string? ContactPrompt { get; init; }

    public static EscalationSettings FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return Default;
        }
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement, new Dictionary<string, string[]>());
    }

    public static EscalationSettings Read(JsonElement element, Dictionary<string, string[]> errors)
    {
        var r = new SettingsReader("escalation", errors);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["escalation"] = ["escalation must be a JSON object."];
            return Default;
        }
        r.OnlyKnown(element, "", "enabled", "on_request", "unanswered_turns", "negative_sentiment", "keywords", "lead_score_above", "contact_prompt");
        return new EscalationSettings
        {
            Enabled = r.Bool(element, "", "enabled") ?? true,
            OnRequest = r.Bool(element, "", "on_request") ?? true,
            UnansweredTurns = r.WholeNumber(element, "", "unanswered_turns", 0, 50) ?? 3,
            NegativeSentiment = element.TryGetProperty("negative_sentiment", out var s) && s.ValueKind == JsonValueKind.Null
                ? null
                : r.Number(element, "", "negative_sentiment", -1, 0) ?? -0.6,
            Keywords = r.List(element, "", "keywords", 200, 100),
            LeadScoreAbove = r.Number(element, "", "lead_score_above", 0, 100),
            ContactPrompt = r.Text(element, "", "contact_prompt", 1000),
        };
    }
}
