using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Health;

public sealed class HealthTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probe_Healthy(string path)
    {
        var body = await (await app.Client(null).GetAsync(path)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("healthy", (string?)body["status"]);
    }

    [Fact]
    public async Task Readyz_ChecksTheDatabase()
    {
        var body = await (await app.Client(null).GetAsync("/readyz")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("healthy", (string?)body["checks"]!["database"]!["status"]);
    }
}
