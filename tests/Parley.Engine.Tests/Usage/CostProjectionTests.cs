using Parley.Engine.Usage;

namespace Parley.Engine.Tests.Usage;

public sealed class CostProjectionTests
{
    [Fact]
    public void At_5000Conversations_EachPricingModelPlusTokens()
    {
        var profile = new ConversationProfile(Messages: 3.5, PromptTokens: 2400, CompletionTokens: 310);
        var rates = new CostRates(PerMessage: 0.02, PerConversation: 0.4, FlatMonthly: 99, PromptTokenPrice: 0.15, CompletionTokenPrice: 0.6);

        var month = CostProjection.At(5_000, profile, rates);

        Assert.Equal(17_500, month.Messages);
        Assert.Equal(12_000_000, month.PromptTokens);
        Assert.Equal(1_550_000, month.CompletionTokens);
        // 12 M × 0.15 + 1.55 M × 0.60 per million = 1.80 + 0.93
        Assert.Equal(2.73, month.TokenCost);
        Assert.Equal(352.73, month.PerMessageCost);
        Assert.Equal(2_002.73, month.PerConversationCost);
        Assert.Equal(101.73, month.FlatMonthlyCost);
    }

    [Fact]
    public void At_FractionalFigures_RoundedToWholeUnitsAndCents()
    {
        var month = CostProjection.At(3, new ConversationProfile(1.5, 100.5, 0.4), new CostRates(0.333, 0.005, 0, 1, 0));

        Assert.Equal(5, month.Messages); // 4.5 rounds up
        Assert.Equal(302, month.PromptTokens); // 301.5 rounds up
        Assert.Equal(1, month.CompletionTokens);
        Assert.Equal(0.0, month.TokenCost); // 301.5 tokens at 1 per million
        Assert.Equal(1.67, month.PerMessageCost); // 5 × 0.333 = 1.665
        Assert.Equal(0.02, month.PerConversationCost); // 0.015
    }

    [Fact]
    public void Of_NoConversations_Defaults()
    {
        Assert.Equal(ConversationProfile.Default, ConversationProfile.Of(0, 0, 0, 0));
        Assert.Equal(new ConversationProfile(4, 6000, 800), ConversationProfile.Default);
    }

    [Fact]
    public void Of_Conversations_AveragesPerConversation()
    {
        Assert.Equal(new ConversationProfile(2.5, 1000, 125), ConversationProfile.Of(4, 10, 4000, 500));
    }
}
