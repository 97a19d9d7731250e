using Parley.Engine.Turns;

namespace Parley.Engine.Tests.Turns;

public sealed class TurnInputValidatorTests
{
    [Fact]
    public void Validate_Text_TrimmedAndControlCharactersRemoved() =>
        Assert.Equal("hello\tthere\nfriend", TurnInputValidator.Validate(new TurnInput("  hello\tthere\u0007\nfriend ", null, null)));

    [Fact]
    public void Validate_Choice_ReturnsChoice() =>
        Assert.Equal("book", TurnInputValidator.Validate(new TurnInput(null, "book", null)));

    [Theory]
    [InlineData(null, null)]
    [InlineData("a", "b")]
    public void Validate_NeitherOrBoth_InvalidRequestOnText(string? text, string? choice)
    {
        var ex = Assert.Throws<TurnRejectedException>(() => TurnInputValidator.Validate(new TurnInput(text, choice, null)));
        Assert.Equal(TurnRejection.InvalidRequest, ex.Rejection);
        Assert.True(ex.Errors!.ContainsKey("text"));
    }

    [Fact]
    public void Validate_TooLong_SaysTheLimit()
    {
        var ex = Assert.Throws<TurnRejectedException>(() =>
            TurnInputValidator.Validate(new TurnInput(new string('a', TurnInputValidator.MaxTextLength + 1), null, null)));
        Assert.Contains("4000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ExactlyAtLimit_Accepted() =>
        Assert.Equal(4000, TurnInputValidator.Validate(new TurnInput(new string('a', 4000), null, null)).Length);

    [Theory]
    [InlineData("   ")]
    [InlineData("\u0001\u0002")]
    public void Validate_EmptyAfterCleaning_Rejected(string text) =>
        Assert.Throws<TurnRejectedException>(() => TurnInputValidator.Validate(new TurnInput(text, null, null)));

    [Fact]
    public void Validate_LoneSurrogate_Rejected() =>
        Assert.Throws<TurnRejectedException>(() => TurnInputValidator.Validate(new TurnInput("bad \ud800 text", null, null)));

    [Fact]
    public void Validate_EmojiAndScripts_Kept() =>
        Assert.Equal("Hola 👋 こんにちは", TurnInputValidator.Validate(new TurnInput("Hola 👋 こんにちは", null, null)));
}
