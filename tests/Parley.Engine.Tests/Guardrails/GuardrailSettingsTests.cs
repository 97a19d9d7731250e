using System.Text.Json;
using Parley.Engine.Guardrails;

namespace Parley.Engine.Tests.Guardrails;

public sealed class GuardrailSettingsTests
{
    private static (GuardrailSettings Settings, Dictionary<string, string[]> Errors) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        return (GuardrailSettings.Read(document.RootElement, errors), errors);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    public void FromJson_NothingSaved_RefuseDefaultsAndRedactForTheModelOnly(string? json)
    {
        var settings = GuardrailSettings.FromJson(json);
        Assert.Empty(settings.AllowedTopics);
        Assert.Empty(settings.BlockedTerms);
        Assert.Equal(GuardrailAction.Refuse, settings.BlockedTermAction);
        Assert.Equal(GuardrailAction.Refuse, settings.InjectionAction);
        Assert.Equal(PiiKind.All, settings.PiiKinds);
        Assert.False(settings.RedactStored);
        Assert.True(settings.RedactForModel);
        Assert.Null(settings.MaxReplyLength);
        Assert.Equal(GuardrailSettings.DefaultTopicRefusal, settings.TopicRefusal);
    }

    [Fact]
    public void Read_EveryField_TakenAsWritten()
    {
        var (settings, errors) = Read("""
            {"topics": {"allowed": ["bikes"], "blocked": ["politics"], "refusal": "Bikes only."},
             "blocked_terms": {"terms": ["darn"], "action": "mask", "refusal": "Be nice."},
             "pii": {"types": ["email"], "redact_stored": true, "redact_model": false},
             "injection": {"action": "escalate", "refusal": "No."},
             "output": {"max_length": 20, "allowed_link_domains": ["Shop.Example", ".docs.example"], "tone": "warm"}}
            """);
        Assert.Empty(errors);
        Assert.Equal(["bikes"], settings.AllowedTopics);
        Assert.Equal(["politics"], settings.BlockedTopics);
        Assert.Equal("Bikes only.", settings.TopicRefusal);
        Assert.Equal(["darn"], settings.BlockedTerms);
        Assert.Equal(GuardrailAction.Mask, settings.BlockedTermAction);
        Assert.Equal("Be nice.", settings.BlockedTermRefusal);
        Assert.Equal([PiiKind.Email], settings.PiiKinds);
        Assert.True(settings.RedactStored);
        Assert.False(settings.RedactForModel);
        Assert.Equal(GuardrailAction.Escalate, settings.InjectionAction);
        Assert.Equal("No.", settings.InjectionRefusal);
        Assert.Equal(20, settings.MaxReplyLength);
        Assert.Equal(["shop.example", "docs.example"], settings.AllowedLinkDomains);
        Assert.Equal("warm", settings.Tone);
    }

    [Fact]
    public void Read_EmptySections_Defaults()
    {
        var (settings, errors) = Read("""{"topics": {}, "blocked_terms": {}, "pii": {}, "injection": {}, "output": {"max_length": 4000}}""");
        Assert.Empty(errors);
        Assert.Equal(GuardrailSettings.None with { MaxReplyLength = 4000 }, settings with
        {
            AllowedTopics = GuardrailSettings.None.AllowedTopics, BlockedTopics = GuardrailSettings.None.BlockedTopics,
            BlockedTerms = GuardrailSettings.None.BlockedTerms, AllowedLinkDomains = GuardrailSettings.None.AllowedLinkDomains,
        });
        Assert.Equal(PiiKind.All, settings.PiiKinds);
        Assert.Empty(settings.AllowedLinkDomains);
    }

    [Fact]
    public void Read_NoPiiTypes_NothingRedacted()
    {
        var (settings, errors) = Read("""{"pii": {"types": []}}""");
        Assert.Empty(errors);
        Assert.Empty(settings.PiiKinds);
    }

    [Theory]
    [InlineData("""{"blocked_terms": {"action": "shout"}}""", "guardrails.blocked_terms.action")]
    [InlineData("""{"injection": {"action": "mask"}}""", "guardrails.injection.action")]
    [InlineData("""{"pii": {"types": ["passport"]}}""", "guardrails.pii.types")]
    [InlineData("""{"output": {"max_length": 19}}""", "guardrails.output.max_length")]
    [InlineData("""{"output": {"max_length": 4001}}""", "guardrails.output.max_length")]
    [InlineData("""{"output": {"allowed_link_domains": ["https://shop.example"]}}""", "guardrails.output.allowed_link_domains")]
    [InlineData("""{"output": {"allowed_link_domains": ["shop.example:443"]}}""", "guardrails.output.allowed_link_domains")]
    [InlineData("""{"output": {"allowed_link_domains": ["localhost"]}}""", "guardrails.output.allowed_link_domains")]
    [InlineData("""{"topics": {"allow": ["bikes"]}}""", "guardrails.topics.allow")]
    [InlineData("""{"blocked_terms": {"term": ["x"]}}""", "guardrails.blocked_terms.term")]
    [InlineData("""{"pii": {"redact": true}}""", "guardrails.pii.redact")]
    [InlineData("""{"injection": {"refuse": "x"}}""", "guardrails.injection.refuse")]
    [InlineData("""{"output": {"length": 5}}""", "guardrails.output.length")]
    [InlineData("""{"topics": []}""", "guardrails.topics")]
    [InlineData("""{"filters": {}}""", "guardrails.filters")]
    public void Read_BadField_OneErrorUnderItsPath(string json, string path)
    {
        var (_, errors) = Read(json);
        Assert.Equal([path], errors.Keys);
        Assert.Contains("guardrails", errors[path][0], StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NotAnObject_ErrorAndNoGuardrails()
    {
        var (settings, errors) = Read("true");
        Assert.Same(GuardrailSettings.None, settings);
        Assert.Equal(["guardrails"], errors.Keys);
    }
}
