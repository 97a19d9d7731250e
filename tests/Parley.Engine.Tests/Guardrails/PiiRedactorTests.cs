using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class PiiRedactorTests
{
    [Theory]
    [InlineData("4111 1111 1111 1111", true)]
    [InlineData("4111-1111-1111-1111", true)]
    [InlineData("5500005555555559", true)]
    [InlineData("4111 1111 1111 1112", false)]
    public void Redact_CardNumbers_OnlyLuhnValid(string card, bool redacted)
    {
        var result = PiiRedactor.Redact($"card {card} thanks", [PiiKind.Card]);
        Assert.Equal(redacted ? "card [card] thanks" : $"card {card} thanks", result.Text);
    }

    [Theory]
    [InlineData("DE89 3704 0044 0532 0130 00", true)]
    [InlineData("GB82WEST12345698765432", true)]
    [InlineData("DE89 3704 0044 0532 0130 01", false)]
    public void Redact_Iban_OnlyValidChecksum(string iban, bool redacted) =>
        Assert.Equal(redacted, PiiRedactor.Redact($"IBAN {iban}", [PiiKind.Iban]).Kinds.Count == 1);

    [Theory]
    [InlineData("123-45-6789", true)]
    [InlineData("000-45-6789", false)]
    [InlineData("666-45-6789", false)]
    [InlineData("123-00-6789", false)]
    public void Redact_Ssn_SkipsNeverIssuedRanges(string ssn, bool redacted) =>
        Assert.Equal(redacted, PiiRedactor.Redact($"ssn {ssn}", [PiiKind.NationalId]).Kinds.Count == 1);

    [Fact]
    public void Redact_EmailAndPhone_ReplacedAndKindsListed()
    {
        var result = PiiRedactor.Redact("write to jane.doe+shop@example.co.uk or call +1 (415) 555-0100 on 2026-11-24", PiiKind.All);
        Assert.Equal("write to [email] or call [phone] on 2026-11-24", result.Text);
        Assert.Equal([PiiKind.Email, PiiKind.Phone], result.Kinds);
    }

    [Fact]
    public void Redact_KindNotAsked_Kept() =>
        Assert.Equal("mail a@b.example", PiiRedactor.Redact("mail a@b.example", [PiiKind.Card]).Text);
}
