using Microsoft.ML.Tokenizers;

namespace Parley.Engine.Prompts;

/// <summary>
/// Counts tokens the way current OpenAI models do (tiktoken <c>o200k_base</c>). Other models count a little differently;
/// the count is used for budgets, where being close is what matters.
/// </summary>
public static class TokenCounter
{
    /// <summary>What one chat message costs beyond its text (role and separators), per OpenAI's accounting.</summary>
    public const int PerMessageOverhead = 4;

    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    public static int Count(string text) => text.Length == 0 ? 0 : Tokenizer.Value.CountTokens(text);

    /// <summary>The tokens of one chat message: its text and the per-message overhead.</summary>
    public static int CountMessage(string text) => Count(text) + PerMessageOverhead;
}
