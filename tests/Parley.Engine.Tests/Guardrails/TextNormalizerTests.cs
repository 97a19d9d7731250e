using CsCheck;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class TextNormalizerTests
{
    [Theory]
    [InlineData("Crème Brûlée", "creme brulee")]
    [InlineData("Straße Æther Œuvre Łódź Søren", "strasse aether oeuvre lodz soren")]
    [InlineData("Çağrı Śląsk Kýr Ţară", "cagri slask kyr tara")]
    [InlineData("h3ll0 w0rld", "hello world")]
    [InlineData("$p4m 1ife", "spam iife")]
    [InlineData("@dm|n +est 8ob", "admin test bob")]
    [InlineData("paid 40 dollars", "paid 40 dollars")]
    [InlineData("heeeelp", "heelp")]
    [InlineData("free", "free")]
    [InlineData("s.p.a.m sp-am (spam)", "spam spam spam")]
    [InlineData("s p a m now", "spam now")]
    [InlineData("a", "a")]
    [InlineData("x x x", "xx")]
    [InlineData("«Hola», ¿qué? ¡sí!", "hola que si")]
    [InlineData("", "")]
    public void Term_CanonicalForm(string text, string term) => Assert.Equal(term, TextNormalizer.Term(text));

    [Fact]
    public void LetterRuns_OnlyRunsOfSeveralSingleLetters()
    {
        Assert.Equal(["scam"], TextNormalizer.LetterRuns("this is s c a m"));
        Assert.Equal(["ab", "cd"], TextNormalizer.LetterRuns("a b then c d"));
        Assert.Empty(TextNormalizer.LetterRuns("a cat"));
    }

    [Fact]
    public void Fold_LowerCaseWithoutDiacriticsEverythingElseKept() =>
        Assert.Equal("ca va? -> ca va? 40$", TextNormalizer.Fold("ÇA VA? -> ça va? 40$"));

    [Fact]
    public void Words_AnyText_LowerCaseWithoutTripledLetters() =>
        Gen.String.Sample(text => TextNormalizer.Words(text).All(w =>
            w.Length > 0
            && string.Equals(w, w.ToLowerInvariant(), StringComparison.Ordinal)
            && !Enumerable.Range(2, Math.Max(0, w.Length - 2)).Any(i => w[i] == w[i - 1] && w[i] == w[i - 2])), iter: 200);

    [Fact]
    public void TermMatcher_AnyObfuscationBySpacesDotsOrCase_StillFound() =>
        Gen.Select(Gen.Int[0, 3], Gen.Bool).Sample((style, upper) =>
        {
            var word = upper ? "SCAM" : "scam";
            var separator = style switch { 0 => "", 1 => " ", 2 => ".", _ => "-" };
            return new TermMatcher(["scam"]).Find($"this is a {string.Join(separator, word.ToCharArray())} offer").Count == 1;
        }, iter: 50);
}
