using CsCheck;
using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class EnglishStemmerTests
{
    [Theory]
    [InlineData("refund", "refunds", "refunded", "refunding")]
    [InlineData("clean", "cleans", "cleaned", "cleaning", "cleaner", "cleaners")]
    [InlineData("price", "prices", "priced", "pricing")]
    [InlineData("ship", "ships", "shipped", "shipping")]
    [InlineData("bill", "bills", "billed", "billing")]
    [InlineData("serious", "seriously")]
    [InlineData("careful", "carefully", "carefulness")]
    [InlineData("dark", "darkness")]
    [InlineData("quick", "quickly")]
    [InlineData("final", "finally")]
    [InlineData("policy", "policies")]
    [InlineData("class", "classes")]
    [InlineData("organize", "organization")]
    [InlineData("relate", "relational")]
    [InlineData("agree", "agreement", "agreements")]
    [InlineData("donate", "donated", "donation", "donations")]
    [InlineData("add", "added", "adding")]
    [InlineData("disperse", "dispersed", "dispersing", "disperses")]
    [InlineData("converse", "conversed", "conversing")]
    [InlineData("facility", "facilities")]
    public void Stem_FormsOfOneWord_Meet(string word, params string[] forms)
    {
        foreach (var form in forms)
        {
            Assert.Equal(EnglishStemmer.Stem(word), EnglishStemmer.Stem(form));
        }
    }

    [Theory]
    [InlineData("classes", "class")]
    [InlineData("policies", "policy")]
    [InlineData("ties", "tie")]
    [InlineData("shipped", "ship")]
    [InlineData("stopping", "stop")]
    [InlineData("buzzed", "buzz")]
    [InlineData("hopeful", "hopeful")]
    [InlineData("effectiveness", "effectiv")]
    [InlineData("probably", "probabl")]
    [InlineData("possibly", "possibl")]
    [InlineData("availability", "availabil")]
    [InlineData("prices", "pric")]
    [InlineData("agreement", "agree")]
    [InlineData("agreements", "agree")]
    [InlineData("donations", "donat")]
    [InlineData("facilities", "facil")]
    [InlineData("dispersed", "dispers")]
    public void Stem_KnownWords_FoldToTheirStem(string word, string stem) =>
        Assert.Equal(stem, EnglishStemmer.Stem(word));

    [Theory]
    [InlineData("bus")]
    [InlineData("was")]
    [InlineData("Refunds")]
    [InlineData("24hrs")]
    [InlineData("glass")]
    [InlineData("status")]
    [InlineData("analysis")]
    [InlineData("agreed")]
    [InlineData("owing")]
    [InlineData("bring")]
    [InlineData("used")]
    [InlineData("string")]
    [InlineData("only")]
    [InlineData("payment")]
    [InlineData("hope")]
    [InlineData("three")]
    public void Stem_ShortOrUnsuffixedOrNotLowercaseWord_KeptAsItIs(string word) =>
        Assert.Equal(word, EnglishStemmer.Stem(word));

    [Fact]
    public void Stem_AnyWord_NeverLongerThanTheWord() =>
        Gen.String[Gen.Char["abcdeilnorstuyz"], 0, 14].Sample(word => EnglishStemmer.Stem(word).Length <= word.Length, iter: 2000);

    [Fact]
    public void Stem_WordsWithCapitalsOrDigits_Unchanged() =>
        Gen.String[Gen.Char["abeinsgdAZ09"], 0, 12].Where(w => w.Any(c => !char.IsAsciiLetterLower(c)))
            .Sample(word => EnglishStemmer.Stem(word) == word, iter: 500);
}
