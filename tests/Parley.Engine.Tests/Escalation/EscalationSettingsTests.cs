using System.Text.Json;
using Parley.Engine.Escalation;

namespace Parley.Engine.Tests.Escalation;

public sealed class EscalationSettingsTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{}")]
    public void FromJson_NothingSaved_DefaultsHandOverOnRequestAfterThreeUnansweredOrAngryMessages(string? json)
    {
        var settings = EscalationSettings.FromJson(json);

        Assert.True(settings.Enabled);
        Assert.True(settings.OnRequest);
        Assert.Equal(3, settings.UnansweredTurns);
        Assert.Equal(-0.6, settings.NegativeSentiment);
        Assert.Empty(settings.Keywords);
        Assert.Null(settings.LeadScoreAbove);
        Assert.Null(settings.ContactPrompt);
    }

    [Fact]
    public void Read_EveryField_TakenAsWritten()
    {
        var (settings, errors) = Read("""
            {"enabled": false, "on_request": false, "unanswered_turns": 0, "negative_sentiment": -0.8,
             "keywords": [" refund ", "lawyer"], "lead_score_above": 70, "contact_prompt": " Leave your email. "}
            """);

        Assert.Empty(errors);
        Assert.False(settings.Enabled);
        Assert.False(settings.OnRequest);
        Assert.Equal(0, settings.UnansweredTurns);
        Assert.Equal(-0.8, settings.NegativeSentiment);
        Assert.Equal(["refund", "lawyer"], settings.Keywords);
        Assert.Equal(70, settings.LeadScoreAbove);
        Assert.Equal("Leave your email.", settings.ContactPrompt);
    }

    [Fact]
    public void Read_NegativeSentimentNull_TurnsTheTriggerOff()
    {
        var (settings, errors) = Read("""{"negative_sentiment": null}""");
        Assert.Empty(errors);
        Assert.Null(settings.NegativeSentiment);
        Assert.Null(EscalationSettings.FromJson("""{"negative_sentiment": null}""").NegativeSentiment);
    }

    [Theory]
    [InlineData("""{"unanswered_turns": 51}""", "escalation.unanswered_turns")]
    [InlineData("""{"unanswered_turns": -1}""", "escalation.unanswered_turns")]
    [InlineData("""{"negative_sentiment": 0.1}""", "escalation.negative_sentiment")]
    [InlineData("""{"negative_sentiment": -1.1}""", "escalation.negative_sentiment")]
    [InlineData("""{"lead_score_above": 101}""", "escalation.lead_score_above")]
    [InlineData("""{"enabled": "yes"}""", "escalation.enabled")]
    [InlineData("""{"on_request": 1}""", "escalation.on_request")]
    [InlineData("""{"keywords": "refund"}""", "escalation.keywords")]
    [InlineData("""{"contact_prompt": 5}""", "escalation.contact_prompt")]
    [InlineData("""{"unanswerd_turns": 2}""", "escalation.unanswerd_turns")]
    public void Read_BadField_ErrorUnderItsPath(string json, string path)
    {
        var (settings, errors) = Read(json);

        Assert.Equal([path], errors.Keys);
        Assert.NotEmpty(errors[path][0]);
        Assert.Equal(EscalationSettings.Default with { Keywords = settings.Keywords }, settings with { Keywords = settings.Keywords });
    }

    [Fact]
    public void Read_OutOfRangeValues_FallBackToDefaults()
    {
        var (settings, _) = Read("""{"unanswered_turns": 99, "negative_sentiment": 0.5, "enabled": "no"}""");
        Assert.Equal(3, settings.UnansweredTurns);
        Assert.Equal(-0.6, settings.NegativeSentiment);
        Assert.True(settings.Enabled);
    }

    [Fact]
    public void Read_NotAnObject_ErrorAndDefaults()
    {
        var (settings, errors) = Read("[]");
        Assert.Same(EscalationSettings.Default, settings);
        Assert.Equal(["escalation"], errors.Keys);
        Assert.Contains("object", errors["escalation"][0]);
    }

    private static (EscalationSettings Settings, Dictionary<string, string[]> Errors) Read(string json)
    {
        using var document = JsonDocument.Parse(json);
        var errors = new Dictionary<string, string[]>();
        return (EscalationSettings.Read(document.RootElement, errors), errors);
    }
}
