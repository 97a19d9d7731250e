using Parley.Engine.Escalation;

namespace Parley.Engine.Tests.Escalation;

public sealed class EscalationTests
{
    [Theory]
    [InlineData("I want to talk to a human")]
    [InlineData("Kann ich mit einem Mitarbeiter sprechen?")]
    [InlineData("Puis-je parler à quelqu'un ?")]
    [InlineData("¿Puedo hablar con una persona?")]
    [InlineData("Posso parlare con un operatore?")]
    [InlineData("Ik wil met een mens praten")]
    [InlineData("Posso falar com alguém?")]
    [InlineData("Can a real person help me?")]
    [InlineData("Can I talk to a human agent?")]
    public void AsksForPerson_SevenLanguages_True(string text) => Assert.True(HandoffPhrases.AsksForPerson(text));

    [Theory]
    [InlineData("Is there a person who can fix my bike in Berlin?")]
    [InlineData("What are your opening hours?")]
    [InlineData("Can a human agent take over the chat?")]
    [InlineData("Do live agents answer on weekends?")]
    public void AsksForPerson_Ordinary_False(string text) => Assert.False(HandoffPhrases.AsksForPerson(text));

    [Fact]
    public void Sentiment_OrdersMessagesByMood()
    {
        var angry = SentimentScorer.Score("This is terrible and useless, I HATE IT!!");
        var annoyed = SentimentScorer.Score("The delivery was late.");
        var neutral = SentimentScorer.Score("Do you ship to Canada?");
        var negated = SentimentScorer.Score("The bike is not bad at all");
        var happy = SentimentScorer.Score("Great, thanks, very helpful!");
        Assert.True(angry < -0.6, $"angry {angry}");
        Assert.True(angry < annoyed && annoyed < neutral && neutral < happy);
        Assert.Equal(0, neutral);
        Assert.True(negated > 0, $"negated {negated}");
        Assert.InRange(happy, 0.6, 1);
    }

    [Fact]
    public void BusinessHours_OpenClosedAndNextOpening()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""
            {"time_zone": "Europe/Berlin", "weekly": {"mon": ["09:00-12:00", "13:00-17:00"], "tue": ["09:00-17:00"]}, "closed_dates": ["2026-11-24"]}
            """);
        var errors = new Dictionary<string, string[]>();
        var hours = BusinessHours.Read(document.RootElement, errors)!;
        Assert.Empty(errors);
        // Monday 23 November 2026, Berlin is UTC+1.
        Assert.True(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 8, 30, 0, TimeSpan.Zero)));
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 23, 11, 30, 0, TimeSpan.Zero)));
        // Tuesday 24 November is a closed date: the next opening is Monday 30 November, 09:00 Berlin.
        Assert.False(hours.IsOpen(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero), hours.NextOpening(new DateTimeOffset(2026, 11, 23, 17, 0, 0, TimeSpan.Zero)));
    }
}
