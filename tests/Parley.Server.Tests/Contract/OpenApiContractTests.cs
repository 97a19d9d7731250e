using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract;

/// <summary>
/// The committed <c>openapi/v1.json</c> is the contract. Regenerate it with <c>PARLEY_UPDATE_OPENAPI=1 ./test.sh</c> after an
/// API change; <c>openapi/baseline/v1.json</c> is the last released contract, and nothing may break it.
/// </summary>
[Trait(Storage.Trait, Storage.Independent)]
public sealed class OpenApiContractTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private async Task<string> GeneratedAsync()
    {
        var document = await (await app.Client(null).GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);
        return document.ToJsonString(Indented).ReplaceLineEndings("\n") + "\n";
    }

    [Fact]
    public async Task CommittedDocument_MatchesGenerated()
    {
        var generated = await GeneratedAsync();
        var path = RepositoryFiles.PathOf("openapi/v1.json");
        if (Environment.GetEnvironmentVariable("PARLEY_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, generated);
        }
        var committed = File.Exists(path) ? await File.ReadAllTextAsync(path) : "";
        Assert.True(committed == generated,
            "openapi/v1.json differs from what the server generates. If the API change is intended, run PARLEY_UPDATE_OPENAPI=1 ./test.sh and commit the file.");
    }

    [Fact]
    public async Task Generated_HasNoBreakingChangesAgainstReleasedBaseline()
    {
        var baseline = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryFiles.PathOf("openapi/baseline/v1.json")))!;
        var changes = OpenApiBreakingChanges.Find(baseline, JsonNode.Parse(await GeneratedAsync())!);
        Assert.True(changes.Count == 0, "Breaking changes against the released API:\n" + string.Join("\n", changes));
    }

    [Fact]
    public async Task Generated_DocumentsAuthErrorsAndEveryOperation()
    {
        var document = JsonNode.Parse(await GeneratedAsync())!;
        Assert.Equal("bearer", (string?)document["components"]!["securitySchemes"]!["bearer"]!["scheme"]);
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                Assert.False(string.IsNullOrEmpty((string?)operation!["summary"]), $"{method} {path} has no summary");
                Assert.NotNull(operation["responses"]!["400"]);
                Assert.NotNull(operation["responses"]!["429"]);
            }
        }
        Assert.NotNull(document["components"]!["schemas"]!["ProblemDetails"]!["properties"]!["code"]);
    }
}

[Trait(Storage.Trait, Storage.Independent)]
public sealed class OpenApiBreakingChangesTests
{
    private const string Baseline = """
        {
          "paths": {
            "/v1/bots": {
              "get": { "responses": { "200": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Bot" } } } } } },
              "post": {
                "parameters": [ { "name": "dry_run", "in": "query", "required": false } ],
                "requestBody": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/CreateBot" } } } },
                "responses": { "201": { "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Bot" } } } } }
              }
            },
            "/v1/events": { "get": { "responses": { "200": {} } } }
          },
          "components": { "schemas": {
            "Bot": { "type": "object", "properties": { "id": { "type": "string" }, "count": { "type": "integer" },
                     "model": { "$ref": "#/components/schemas/Model" } } },
            "Model": { "type": "object", "properties": { "name": { "type": ["null", "string"] } } },
            "CreateBot": { "type": "object", "required": ["name"], "properties": { "name": { "type": "string" }, "greeting": { "type": "string" } } }
          } }
        }
        """;

    private static IReadOnlyList<string> ChangesAfter(Action<JsonNode> edit)
    {
        var current = JsonNode.Parse(Baseline)!;
        edit(current);
        return OpenApiBreakingChanges.Find(JsonNode.Parse(Baseline)!, current);
    }

    [Fact]
    public void Find_Identical_None() => Assert.Empty(ChangesAfter(_ => { }));

    [Fact]
    public void Find_Additions_None() => Assert.Empty(ChangesAfter(d =>
    {
        d["paths"]!["/v1/leads"] = JsonNode.Parse("""{ "get": { "responses": { "200": {} } } }""");
        d["components"]!["schemas"]!["Bot"]!["properties"]!["theme"] = JsonNode.Parse("""{ "type": "object" }""");
        d["components"]!["schemas"]!["CreateBot"]!["properties"]!["theme"] = JsonNode.Parse("""{ "type": "object" }""");
        d["paths"]!["/v1/bots"]!["post"]!["parameters"]!.AsArray().Add(JsonNode.Parse("""{ "name": "expand", "in": "query", "required": false }"""));
    }));

    [Fact]
    public void Find_RemovedPath() =>
        Assert.Contains("removed path /v1/events", ChangesAfter(d => d["paths"]!.AsObject().Remove("/v1/events")));

    [Fact]
    public void Find_RemovedOperation() =>
        Assert.Contains("removed operation GET /v1/bots", ChangesAfter(d => d["paths"]!["/v1/bots"]!.AsObject().Remove("get")));

    [Fact]
    public void Find_RemovedResponseField_EvenNested()
    {
        Assert.Contains(ChangesAfter(d => d["components"]!["schemas"]!["Bot"]!["properties"]!.AsObject().Remove("count")),
            c => c.Contains("removed field count", StringComparison.Ordinal));
        Assert.Contains(ChangesAfter(d => d["components"]!["schemas"]!["Model"]!["properties"]!.AsObject().Remove("name")),
            c => c.Contains("model: removed field name", StringComparison.Ordinal));
    }

    [Fact]
    public void Find_NewRequiredRequestField() =>
        Assert.Contains(ChangesAfter(d => d["components"]!["schemas"]!["CreateBot"]!["required"]!.AsArray().Add("greeting")),
            c => c.Contains("new required field greeting", StringComparison.Ordinal));

    [Fact]
    public void Find_ChangedType() =>
        Assert.Contains(ChangesAfter(d => d["components"]!["schemas"]!["Bot"]!["properties"]!["count"] = JsonNode.Parse("""{ "type": "string" }""")),
            c => c.Contains("count: type changed from integer to string", StringComparison.Ordinal));

    [Fact]
    public void Find_ParameterRemovedOrNewRequired()
    {
        Assert.Contains(ChangesAfter(d => d["paths"]!["/v1/bots"]!["post"]!["parameters"]!.AsArray().Clear()),
            c => c.Contains("parameter dry_run removed", StringComparison.Ordinal));
        Assert.Contains(ChangesAfter(d => d["paths"]!["/v1/bots"]!["post"]!["parameters"]!.AsArray()
            .Add(JsonNode.Parse("""{ "name": "workspace", "in": "query", "required": true }"""))),
            c => c.Contains("new required parameter workspace", StringComparison.Ordinal));
    }
}
