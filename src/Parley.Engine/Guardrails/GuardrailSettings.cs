using System.Text.Json;

namespace Parley.Engine.Guardrails;

/// <summary>What to do when a guardrail is hit.</summary>
public static class GuardrailAction
{
    /// <summary>Answer with the configured refusal instead of the reply.</summary>
    public const string Refuse = "refuse";

    /// <summary>Replace the offending words with asterisks and carry on.</summary>
    public const string Mask = "mask";

    /// <summary>Hand the conversation to a person.</summary>
    public const string Escalate = "escalate";

    public static IReadOnlyList<string> All { get; } = [Refuse, Mask, Escalate];
}

/// <summary>A bot's guardrails (the <c>guardrails</c> object of a bot); see docs/guardrails.md.</summary>
public sealed record GuardrailSettings
{
    public const string DefaultTopicRefusal = "Sorry, I can only help with questions about our products and services.";
    public const string DefaultTermRefusal = "Sorry, I can't help with that. Let's keep the conversation respectful.";
    public const string DefaultInjectionRefusal = "I can't share or change how I'm set up, but I'm happy to help with your question.";

    public static GuardrailSettings None { get; } = new();

    public IReadOnlyList<string> AllowedTopics { get; init; } = [];
    public IReadOnlyList<string> BlockedTopics { get; init; } = [];
    public string TopicRefusal { get; init; } = DefaultTopicRefusal;

    public IReadOnlyList<string> BlockedTerms { get; init; } = [];
    public string BlockedTermAction { get; init; } = GuardrailAction.Refuse;
    public string BlockedTermRefusal { get; init; } = DefaultTermRefusal;

    /// <summary>The kinds of personal data to look for (<see cref="PiiKind"/>); all of them unless narrowed.</summary>
    public IReadOnlyList<string> PiiKinds { get; init; } = PiiKind.All;

    /// <summary>Redact personal data from the visitor's message before it is stored.</summary>
    public bool RedactStored { get; init; }

    /// <summary>Redact personal data from what the responder (or a model provider) receives. On by default.</summary>
    public bool RedactForModel { get; init; } = true;

    /// <summary><see cref="GuardrailAction.Refuse"/> (default) or <see cref="GuardrailAction.Escalate"/>.</summary>
    public string InjectionAction { get; init; } = GuardrailAction.Refuse;
    public string InjectionRefusal { get; init; } = DefaultInjectionRefusal;

    public int? MaxReplyLength { get; init; }
    public IReadOnlyList<string> AllowedLinkDomains { get; init; } = [];

    /// <summary>Tone rules for a model's instructions ("friendly, no slang"); the built-in answerer quotes and ignores them.</summary>
    public string? Tone { get; init; }

    /// <summary>Reads settings from a bot's stored JSON; bad settings were refused when saved, so this does not fail.</summary>
    public static GuardrailSettings FromJson(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return None;
        }
        using var document = JsonDocument.Parse(json);
        return Read(document.RootElement, new Dictionary<string, string[]>());
    }

    /// <summary>Reads and checks settings, adding an error per bad field (under <c>guardrails.…</c>) to <paramref name="errors"/>.</summary>
    public static GuardrailSettings Read(JsonElement element, Dictionary<string, string[]> errors)
    {
        var r = new SettingsReader("guardrails", errors);
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors["guardrails"] = ["guardrails must be a JSON object."];
            return None;
        }
        r.OnlyKnown(element, "", "topics", "blocked_terms", "pii", "injection", "output");
        var settings = new GuardrailSettings();
        if (r.Child(element, "topics") is { } topics)
        {
            r.OnlyKnown(topics, "topics", "allowed", "blocked", "refusal");
            settings = settings with
            {
                AllowedTopics = r.List(topics, "topics", "allowed", 100, 100),
                BlockedTopics = r.List(topics, "topics", "blocked", 100, 100),
                TopicRefusal = r.Text(topics, "topics", "refusal", 1000) ?? DefaultTopicRefusal,
            };
        }
        if (r.Child(element, "blocked_terms") is { } terms)
        {
            r.OnlyKnown(terms, "blocked_terms", "terms", "action", "refusal");
            var action = r.Text(terms, "blocked_terms", "action", 20) ?? GuardrailAction.Refuse;
            if (!GuardrailAction.All.Contains(action))
            {
                r.Error("blocked_terms.action", "guardrails.blocked_terms.action must be refuse, mask or escalate.");
            }
            settings = settings with
            {
                BlockedTerms = r.List(terms, "blocked_terms", "terms", 500, 100),
                BlockedTermAction = action,
                BlockedTermRefusal = r.Text(terms, "blocked_terms", "refusal", 1000) ?? DefaultTermRefusal,
            };
        }
        if (r.Child(element, "pii") is { } pii)
        {
            r.OnlyKnown(pii, "pii", "types", "redact_stored", "redact_model");
            var kinds = r.List(pii, "pii", "types", 10, 20, PiiKind.All);
            settings = settings with
            {
                PiiKinds = pii.TryGetProperty("types", out _) ? kinds : PiiKind.All,
                RedactStored = r.Bool(pii, "pii", "redact_stored") ?? false,
                RedactForModel = r.Bool(pii, "pii", "redact_model") ?? true,
            };
        }
        if (r.Child(element, "injection") is { } injection)
        {
            r.OnlyKnown(injection, "injection", "action", "refusal");
            var action = r.Text(injection, "injection", "action", 20) ?? GuardrailAction.Refuse;
            if (action is not (GuardrailAction.Refuse or GuardrailAction.Escalate))
            {
                r.Error("injection.action", "guardrails.injection.action must be refuse or escalate.");
            }
            settings = settings with
            {
                InjectionAction = action,
                InjectionRefusal = r.Text(injection, "injection", "refusal", 1000) ?? DefaultInjectionRefusal,
            };
        }
        if (r.Child(element, "output") is { } output)
        {
            r.OnlyKnown(output, "output", "max_length", "allowed_link_domains", "tone");
            var domains = r.List(output, "output", "allowed_link_domains", 100, 253);
            if (domains.Any(d => d.Contains('/', StringComparison.Ordinal) || d.Contains(':', StringComparison.Ordinal) || !d.Contains('.', StringComparison.Ordinal)))
            {
                r.Error("output.allowed_link_domains", "guardrails.output.allowed_link_domains must hold bare domain names such as example.com.");
            }
            settings = settings with
            {
                MaxReplyLength = r.WholeNumber(output, "output", "max_length", 20, 4000),
                AllowedLinkDomains = [.. domains.Select(d => d.ToLowerInvariant().TrimStart('.'))],
                Tone = r.Text(output, "output", "tone", 1000),
            };
        }
        return settings;
    }
}
