using CsCheck;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

/// <summary>What a business owner relies on from the output rules: replies no longer than they set, links only to their domains.</summary>
public sealed class OutputRulesTests
{
    [Fact]
    public void Apply_ReplyExactlyAtTheLimit_SentWholeWithoutFlag()
    {
        var check = OutputRules.Apply("Open 9 to 5.", 12, null);
        Assert.Equal("Open 9 to 5.", check.Text);
        Assert.Empty(check.Flags);
    }

    [Theory]
    [InlineData("hello world again", 11, "hello…")] // the space at the limit itself would leave 12 characters
    [InlineData("abcdefghij", 5, "abcd…")] // one long word: cut inside it
    [InlineData(" abcdefgh", 5, " abc…")] // the only space is the first character: cut inside the word, not before it
    [InlineData("abcde", 5, "abcde")]
    public void Cut_LongerThanMax_EndsWithEllipsisWithinMax(string text, int max, string expected) =>
        Assert.Equal(expected, OutputRules.Cut(text, max));

    [Fact]
    public void Cut_AnyTextAndLimit_NeverLongerThanTheLimit() =>
        Gen.Select(Gen.String[Gen.Char["ab "], 0, 300], Gen.Int[2, 250]).Sample((text, max) =>
        {
            var cut = OutputRules.Cut(text, max);
            return cut.Length <= max && (text.Length <= max ? cut == text : cut.EndsWith('…'));
        }, iter: 300);

    [Fact]
    public void Apply_NoAllowedDomains_LinksKept()
    {
        var check = OutputRules.Apply("Read https://anywhere.example/faq", null, []);
        Assert.Equal("Read https://anywhere.example/faq", check.Text);
        Assert.Empty(check.Flags);
    }

    [Theory]
    [InlineData("https://help.shop.example/returns", true)] // a subdomain
    [InlineData("www.shop.example/hours", true)] // written without a scheme
    [InlineData("https://partner.example/book", true)] // the second allowed domain
    [InlineData("https://badshop.example/", false)] // ends with the domain's name, but is another domain
    [InlineData("https://shop.example.evil.example/", false)]
    [InlineData("http://[broken/", false)] // not a valid address
    public void Apply_LinkChecked_AgainstEveryAllowedDomain(string link, bool kept)
    {
        var check = OutputRules.Apply($"See {link} for more.", null, ["shop.example", "partner.example"]);
        Assert.Equal(kept ? $"See {link} for more." : $"See {OutputRules.LinkRemoved} for more.", check.Text);
        Assert.Equal(kept ? [] : [GuardrailFlags.LinkRemoved], check.Flags);
    }
}
