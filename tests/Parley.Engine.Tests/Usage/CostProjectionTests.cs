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

    [Fact]
    public void Blend_TwoModelsOnePriced_SameBillAsPricingEachModel()
    {
        var rates = new CostRates(0, 0, 0, PromptTokenPrice: 0.15, CompletionTokenPrice: 0.6);
        ModelTokens[] usage = [new("gpt-4o", 1_000_000, 100_000), new("gpt-4o-mini", 3_000_000, 300_000)];
        var prices = new Dictionary<string, ModelTokenPrice> { ["gpt-4o"] = new(2.5, 10) };

        var blended = TokenPricing.Blend(rates, usage, prices);

        // gpt-4o: 1 M × 2.50 + 0.1 M × 10 = 3.50; gpt-4o-mini at the default: 3 M × 0.15 + 0.3 M × 0.60 = 0.63
        var month = CostProjection.At(4, ConversationProfile.Of(4, 0, 4_000_000, 400_000), blended);
        Assert.Equal(4.13, month.TokenCost);
        Assert.Equal((2.5 + 3 * 0.15) / 4, blended.PromptTokenPrice, 12);
        Assert.Equal((10 + 3 * 0.6) / 4, blended.CompletionTokenPrice, 12);
        Assert.Equal(rates with { PromptTokenPrice = blended.PromptTokenPrice, CompletionTokenPrice = blended.CompletionTokenPrice }, blended);
    }

    [Fact]
    public void Blend_NoUsageOrNoPrices_RatesUnchanged()
    {
        var rates = CostRates.Default;
        var prices = new Dictionary<string, ModelTokenPrice> { ["gpt-4o"] = new(2.5, 10) };

        Assert.Equal(rates, TokenPricing.Blend(rates, [], prices));
        Assert.Equal(rates, TokenPricing.Blend(rates, [new("gpt-4o", 10, 10)], new Dictionary<string, ModelTokenPrice>()));
    }

    [Fact]
    public void Blend_OnlyPricedModelUsed_ItsOwnPrices()
    {
        var blended = TokenPricing.Blend(CostRates.Default, [new("claude", 500, 0)], new Dictionary<string, ModelTokenPrice> { ["claude"] = new(3, 15) });

        Assert.Equal(3, blended.PromptTokenPrice);
        Assert.Equal(CostRates.Default.CompletionTokenPrice, blended.CompletionTokenPrice); // no completion tokens to weigh
    }
}
