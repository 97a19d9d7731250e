namespace Parley.Engine.Knowledge;

/// <summary>
/// The search terms of a bot's knowledge base and how many of its passages use each. A question word outside it
/// usually names something the business does not offer; a word found in few passages says more about which passage
/// answers than one found in most (its inverse document frequency).
/// </summary>
public sealed class KnowledgeVocabulary
{
    private readonly Dictionary<string, int> _passagesWith = new(StringComparer.Ordinal);

    /// <summary>Counts the words of one more passage, given as search terms (<see cref="SearchTerms.Analyze"/>).</summary>
    public void AddPassage(IEnumerable<string> terms)
    {
        Passages++;
        foreach (var term in terms.Distinct())
        {
            _passagesWith[term] = _passagesWith.GetValueOrDefault(term) + 1;
        }
    }

    /// <summary>A vocabulary of passages given as text.</summary>
    public static KnowledgeVocabulary Of(params IEnumerable<string> passages)
    {
        var vocabulary = new KnowledgeVocabulary();
        foreach (var passage in passages)
        {
            vocabulary.AddPassage(SearchTerms.Analyze(passage));
        }
        return vocabulary;
    }

    /// <summary>How many passages were counted.</summary>
    public int Passages { get; private set; }

    public int Count => _passagesWith.Count;

    public IEnumerable<string> Terms => _passagesWith.Keys;

    public bool Contains(string term) => _passagesWith.ContainsKey(term);

    /// <summary>
    /// The term itself when the knowledge uses it, else the term of the knowledge it is one slip from ("leeky" → "leaki"),
    /// the one used in the most passages; null when there is none.
    /// </summary>
    public string? Match(string term)
    {
        if (_passagesWith.ContainsKey(term))
        {
            return term;
        }
        if (term.Length < 4 || term.All(char.IsAsciiDigit))
        {
            return null;
        }
        string? best = null;
        foreach (var (known, passages) in _passagesWith)
        {
            if (ExtractiveAnswer.OneSlipApart(known, term) && (best is null || passages > _passagesWith[best]))
            {
                best = known;
            }
        }
        return best;
    }

    /// <summary>
    /// How rare a term is in this knowledge: ln((N + 1) / (n + 0.5)) for a term in n of N passages; a term the knowledge
    /// never uses (nor a slip of one) is the rarest of all.
    /// </summary>
    public double Idf(string term)
    {
        var match = Match(term);
        var passages = match is null ? 0 : _passagesWith[match];
        return Math.Log((Passages + 1.0) / (passages + 0.5));
    }
}
