using System.Net;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.ModelProviders;

/// <summary><c>POST /v1/model-providers/{id}/test</c> against a real model server on loopback, both protocols.</summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class ModelProviderTestTests(ModelApp app) : IClassFixture<ModelApp>, IAsyncLifetime
{
    private FakeModelServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeModelServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("openai")]
    [InlineData("anthropic")]
    public async Task Test_ProviderAnswers_ReplyAndModelReturnedWithTheStoredKey(string kind)
    {
        var client = app.Client();
        var id = await ProviderAsync(kind, defaultModel: "default-model-1");
        _server.Then(new FakeModelServer.Behaviour("ready"));

        var result = await (await client.PostJsonAsync($"/v1/model-providers/{id}/test", new { })).JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)result["succeeded"]!);
        Assert.Equal("ready", (string?)result["reply"]);
        Assert.Equal("default-model-1", (string?)result["model"]);
        Assert.Null(result["error"]);
        Assert.True((double)result["duration_ms"]! > 0);
        var requests = await _server.WaitForAsync(1);
        var request = requests[^1];
        Assert.Equal("default-model-1", (string?)request.Body["model"]);
        Assert.Contains(request.Headers.Values, value => value.Contains("secret-key-5678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_ProviderRefuses_SucceededFalseWithItsError()
    {
        var id = await ProviderAsync("openai", defaultModel: "default-model-1");
        _server.Then(new FakeModelServer.Behaviour(Status: 401));

        var result = await (await app.Client().PostJsonAsync($"/v1/model-providers/{id}/test", new { model = "other-model" })).JsonAsync(HttpStatusCode.OK);

        Assert.False((bool)result["succeeded"]!);
        Assert.Equal("other-model", (string?)result["model"]);
        Assert.Null(result["reply"]);
        Assert.Contains("401", (string?)result["error"], StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key-5678", result.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_ProviderHangs_SucceededFalseWithinTheAttemptTimeout()
    {
        var id = await ProviderAsync("anthropic", defaultModel: "default-model-1");
        _server.Default = new FakeModelServer.Behaviour(Hang: true);
        try
        {
            var result = await (await app.Client().PostJsonAsync($"/v1/model-providers/{id}/test", new { })).JsonAsync(HttpStatusCode.OK);
            Assert.False((bool)result["succeeded"]!);
            Assert.Contains("did not answer", (string?)result["error"], StringComparison.Ordinal);
        }
        finally
        {
            _server.Default = new FakeModelServer.Behaviour("Hello from the model.");
        }
    }

    [Fact]
    public async Task Test_NoModelNamedAndNoDefault_400AndNothingCalled()
    {
        var id = await ProviderAsync("openai", defaultModel: null);
        var before = _server.Requests.Count;

        var problem = await (await app.Client().PostJsonAsync($"/v1/model-providers/{id}/test", new { })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(problem["errors"]!["model"]);
        Assert.Equal(before, _server.Requests.Count);
    }

    [Fact]
    public async Task Test_UnknownOtherWorkspaceOrNarrowKey_RefusedAndNothingCalled()
    {
        var id = await ProviderAsync("openai", defaultModel: "default-model-1");
        var before = _server.Requests.Count;
        await (await app.Client().PostJsonAsync("/v1/model-providers/mp_nothing/test", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        var (_, otherKey) = await app.CreateWorkspaceAsync();
        await (await app.Client(otherKey).PostJsonAsync($"/v1/model-providers/{id}/test", new { })).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        var readOnly = await (await app.Client().PostJsonAsync("/v1/api-keys", new { name = "read only", scopes = new[] { "model_providers:read" } }))
            .JsonAsync(HttpStatusCode.Created);
        await (await app.Client((string)readOnly["secret"]!).PostJsonAsync($"/v1/model-providers/{id}/test", new { }))
            .ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        Assert.Equal(before, _server.Requests.Count);
    }

    private async Task<string> ProviderAsync(string kind, string? defaultModel)
    {
        var baseUrl = kind == "openai" ? _server.OpenAiBaseUrl : _server.BaseUrl;
        return (await (await app.Client().PostJsonAsync("/v1/model-providers",
                new { name = "Test " + kind, kind, base_url = baseUrl, api_key = "secret-key-5678", default_model = defaultModel }))
            .JsonAsync(HttpStatusCode.Created)).Id();
    }
}
