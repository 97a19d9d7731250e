using Parley.Engine.Guardrails;

namespace Parley.Engine.Escalation;

/// <summary>
/// Recognises a visitor asking for a person, in English, German, French, Spanish, Italian, Dutch and Portuguese.
/// Phrases are compared on folded words (<see cref="TextNormalizer"/>), so accents, case and punctuation do not matter.
/// </summary>
public static class HandoffPhrases
{
    private static readonly TermMatcher Matcher = new(
    [
        // English
        "talk to a person", "speak to a person", "talk to a human", "speak to a human", "real person", "human agent",
        "live agent", "talk to someone", "speak to someone", "talk to an agent", "speak to an agent", "support agent",
        "talk to a representative", "speak to a representative", "real human", "human please", "connect me to",
        "transfer me",
        // German
        "mit einem menschen", "mit einem mitarbeiter", "mit einer person", "echten menschen", "mitarbeiter sprechen",
        "menschen sprechen",
        // French
        "parler a un humain", "parler a une personne", "parler a quelqu'un", "un conseiller", "un agent", "vraie personne",
        // Spanish
        "hablar con una persona", "hablar con un humano", "hablar con alguien", "un agente", "persona real",
        // Italian
        "parlare con una persona", "parlare con un operatore", "un operatore", "persona reale",
        // Dutch
        "met een mens", "met een medewerker", "echte persoon",
        // Portuguese
        "falar com uma pessoa", "falar com um humano", "falar com alguem", "um atendente", "pessoa real",
    ]);

    public static bool AsksForPerson(string text) => Matcher.Find(text).Count > 0;
}
