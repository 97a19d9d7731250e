using CsCheck;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class PiiRedactorRulesTests
{
    /// <summary>A card number of <paramref name="payload"/> digits and the Luhn check digit that makes it valid.</summary>
    private static string WithCheckDigit(string payload)
    {
        var sum = 0;
        for (var i = 0; i < payload.Length; i++)
        {
            var d = payload[payload.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d = d * 2 > 9 ? d * 2 - 9 : d * 2;
            }
            sum += d;
        }
        return payload + (char)('0' + (10 - sum % 10) % 10);
    }

    [Fact]
    public void IsLuhnValid_AnyCardWithItsCheckDigit_ValidAndAnyOtherCheckDigitNot() =>
        Gen.Select(Gen.Char['0', '9'].Array[12, 18], Gen.Int[1, 9]).Sample((digits, shift) =>
        {
            var card = WithCheckDigit(new string(digits));
            var wrong = card[..^1] + (char)('0' + (card[^1] - '0' + shift) % 10);
            return PiiRedactor.IsLuhnValid(card) && !PiiRedactor.IsLuhnValid(wrong);
        }, iter: 200);

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4222222222222", true)]
    [InlineData("6011000990139424", true)]
    [InlineData("378282246310005", true)]
    [InlineData("0000000000000", true)]
    [InlineData("000000000000", false)]
    [InlineData("00000000000000000000", false)]
    [InlineData("4111111111111121", false)]
    public void IsLuhnValid_13To19DigitsWithTheCheck(string digits, bool valid) => Assert.Equal(valid, PiiRedactor.IsLuhnValid(digits));

    [Fact]
    public void Redact_AnyValidCardInText_ReplacedByItsKind() =>
        Gen.Char['0', '9'].Array[15].Sample(digits =>
        {
            var card = WithCheckDigit("4" + new string(digits));
            var spaced = string.Join(' ', card.Chunk(4).Select(c => new string(c)));
            var result = PiiRedactor.Redact($"my card is {spaced}, thanks", [PiiKind.Card]);
            return result.Text == "my card is [card], thanks" && result.Kinds.SequenceEqual([PiiKind.Card]);
        }, iter: 100);

    [Theory]
    [InlineData("DE89370400440532013000", true)]
    [InlineData("de89 3704 0044 0532 0130 00", true)]
    [InlineData("NO9386011117947", true)]
    [InlineData("MT84MALT011000012345MTLCAST001S", true)]
    [InlineData("NO938601111794", false)]
    [InlineData("DE89370400440532013001", false)]
    [InlineData("DE8937040044053201300!", false)]
    [InlineData("DE89370400440532013000123456789012345", false)]
    public void IsValidIban_LengthAndMod97(string iban, bool valid) => Assert.Equal(valid, PiiRedactor.IsValidIban(iban));

    [Theory]
    [InlineData("899-45-6789", true)]
    [InlineData("900-45-6789", false)]
    [InlineData("123-45-0000", false)]
    [InlineData("123-45-67890", false)]
    public void Redact_Ssn_IssuedRangesOnly(string ssn, bool redacted) =>
        Assert.Equal(redacted, PiiRedactor.Redact($"ssn {ssn}", [PiiKind.NationalId]).Text == "ssn [national_id]");

    [Theory]
    [InlineData("call 030 1234 5678", "call [phone]")]
    [InlineData("call +49 30 12", "call +49 30 12")]
    [InlineData("call +49 30 123", "call [phone]")]
    [InlineData("call 49 30 123", "call 49 30 123")]
    [InlineData("call 12 34 56", "call 12 34 56")]
    [InlineData("on 2026-11-24", "on 2026-11-24")]
    [InlineData("call 1234 5678 9012 3456 7", "call 1234 5678 9012 3456 7")]
    public void Redact_Phone_NineTo15DigitsOrAPlusAndSeven(string text, string expected) =>
        Assert.Equal(expected, PiiRedactor.Redact(text, [PiiKind.Phone]).Text);

    [Fact]
    public void Redact_SameKindTwice_ListedOnce()
    {
        var result = PiiRedactor.Redact("a@x.example and b@y.example", PiiKind.All);
        Assert.Equal("[email] and [email]", result.Text);
        Assert.Equal([PiiKind.Email], result.Kinds);
    }

    [Fact]
    public void Redact_IbanBeforeCard_TheIbanNotCutIntoACard()
    {
        var result = PiiRedactor.Redact("pay to DE89 3704 0044 0532 0130 00 today", PiiKind.All);
        Assert.Equal("pay to [iban] today", result.Text);
        Assert.Equal([PiiKind.Iban], result.Kinds);
    }

    [Fact]
    public void Redact_AnyTextWithoutDigitsOrAt_Unchanged() =>
        Gen.String[Gen.Char["abcdefghij XYZ.,!?-"], 0, 40].Sample(text => PiiRedactor.Redact(text, PiiKind.All).Text == text, iter: 100);
}
