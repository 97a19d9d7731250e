using Parley.Engine.Guardrails;

namespace Parley.Engine.Escalation;

/// <summary>
/// Recognises a visitor asking for a person, in English, German, French, Spanish, Italian, Dutch and Portuguese.
/// Phrases are compared on folded words (<see cref="TextNormalizer"/>), so accents, case and punctuation do not matter.
/// </summary>
public static class HandoffPhrases
{
    // Stryker disable all : phrase and word lists are data, not rules; the tests check one phrase per language and how
    // a question about people is told from a request for one.
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

    // Stryker disable all : a word list, as above.
    private static readonly HashSet<string> Auxiliaries = ["can", "could", "does", "do", "will", "would"];
    // Stryker disable all : a word list, as above.
    private static readonly HashSet<string> Articles = ["a", "an", "the", "your"];
    // Stryker disable all : a word list, as above.
    private static readonly HashSet<string> People = ["human", "humans", "real", "live", "person", "people", "agent", "agents", "support"];
    // Stryker disable all : a word list, as above.
    private static readonly HashSet<string> FirstPerson = ["i", "me", "my", "i'm", "im", "we", "us"];
    // Stryker restore all

    public static bool AsksForPerson(string text) => Matcher.Find(text).Count > 0 && !AsksAboutPeople(text);

    /// <summary>
    /// "Can a human agent take over the chat?" asks what people can do, not for one now: an English question that
    /// starts with an auxiliary and a person as its subject, and says nothing of the visitor ("Can a real person help
    /// me?" still asks for one).
    /// </summary>
    private static bool AsksAboutPeople(string text)
    {
        var words = TextNormalizer.Words(text);
        var subject = words.Count > 2 && Articles.Contains(words[1]) ? 2 : 1;
        // Stryker disable once Equality,Arithmetic : a handoff phrase has two words or more, so a matched question is
        // always longer than its auxiliary and subject; these bounds only guard the indexing.
        return words.Count > subject + 1
            && Auxiliaries.Contains(words[0])
            && People.Contains(words[subject])
            && !words.Any(FirstPerson.Contains);
    }
}
