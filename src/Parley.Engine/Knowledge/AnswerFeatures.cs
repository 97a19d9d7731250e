namespace Parley.Engine.Knowledge;

/// <summary>
/// What the answerer knows about its best candidate answer when it decides whether to give it (<see cref="AnswerDecision"/>).
/// These three were kept by cross-validation on the development half from a larger set (docs/knowledge.md): the
/// passage's own similarity, the margin over other passages, the share of unknown words, whether the question's
/// rarest word is in the passage and the plain share of question words in the sentence added nothing.
/// </summary>
/// <param name="SentenceSimilarity">The best sentence's similarity in meaning to the question (with its heading).</param>
/// <param name="Coverage">
/// The share of the question's words the sentence's passage and its headings contain, each word weighted by how rare it
/// is in the knowledge (<see cref="KnowledgeVocabulary.Idf"/>), so a word the knowledge never uses weighs most; a
/// one-letter slip counts as the word.
/// </param>
/// <param name="OfferOfUnknown">An <see cref="OfferQuestion"/> ("do you fix boilers?") naming a thing the knowledge never mentions.</param>
public sealed record AnswerFeatures(double SentenceSimilarity, double Coverage, bool OfferOfUnknown)
{
    /// <summary>The names of <see cref="ToArray"/>'s values, in order.</summary>
    public static readonly IReadOnlyList<string> Names = ["sentence_similarity", "coverage", "offer_of_unknown"];

    public double[] ToArray() => [SentenceSimilarity, Coverage, OfferOfUnknown ? 1 : 0];
}
