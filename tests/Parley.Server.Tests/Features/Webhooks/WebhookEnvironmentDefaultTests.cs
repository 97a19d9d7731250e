using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Webhooks;

/// <summary>The server as started with its own configuration files in one environment, without a network setting.</summary>
public class EnvironmentApp(string environment) : ParleyApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Without("Parley:Network:AllowPrivateTargets");
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(environment);
    }
}

public sealed class DevelopmentApp() : EnvironmentApp("Development");

public sealed class ProductionApp() : EnvironmentApp("Production");

/// <summary>`dotnet run` (Development) accepts a webhook on this machine for a local trial; a production server refuses it.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class WebhookDevelopmentDefaultTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    [Fact]
    public async Task Create_LoopbackUrlInDevelopment_201AndDelivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = app.Client();
        var endpoint = await (await client.PostJsonAsync("/v1/webhook-endpoints", new { url = receiver.Url, events = new[] { "*" } }))
            .JsonAsync(HttpStatusCode.Created);

        var result = await (await client.PostJsonAsync($"/v1/webhook-endpoints/{endpoint.Id()}/test", new { })).JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)result["succeeded"]!);
        Assert.Single(receiver.Requests);
    }
}

[Trait(Storage.Trait, Storage.Independent)]
public sealed class WebhookProductionDefaultTests(ProductionApp app) : IClassFixture<ProductionApp>
{
    [Fact]
    public async Task Create_LoopbackUrlInProduction_400AndNothingStored()
    {
        var before = await app.DbAsync(db => Task.FromResult(db.WebhookEndpoints.IgnoreQueryFilters().Count()));

        var problem = await (await app.Client().PostJsonAsync("/v1/webhook-endpoints", new { url = "http://127.0.0.1:8080/hooks", events = new[] { "*" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Contains("private", (string?)problem["errors"]!["url"]![0], StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.WebhookEndpoints.IgnoreQueryFilters().Count())));
    }
}
