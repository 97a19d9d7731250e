using Parley.Engine.Usage;

namespace Parley.Engine.Tests.Usage;

public sealed class UsageMetricsTests
{
    [Fact]
    public void IsGauge_OnlyKnowledgeStorage() =>
        Assert.Equal([UsageMetrics.KnowledgeStorageBytes], UsageMetrics.All.Where(UsageMetrics.IsGauge));
}
