using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Features.Imports.Platforms;
using Parley.Server.Tests.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms;

public sealed class DifyModelProviderImportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static string ChatApp(string name, string provider, string model) => $$"""
        app: { mode: chat, name: {{name}} }
        kind: app
        version: 0.1.2
        model_config:
          opening_statement: Ask me about our opening hours.
          model: { provider: {{provider}}, name: {{model}}, mode: chat, completion_params: { temperature: 0.4, max_tokens: 600 } }
        """;

    private static string Llm(string id, string title, string provider, string model, int x) => $$"""
            - id: {{id}}
              position: { x: {{x}}, y: 0 }
              data:
                type: llm
                title: {{title}}
                model: { provider: {{provider}}, name: {{model}}, mode: chat, completion_params: { temperature: 0.2 } }
                prompt_template: [ { role: system, text: Be brief. } ]
        """;

    /// <summary>A workflow from a start node through <paramref name="nodes"/> to an end node at <paramref name="endX"/>.</summary>
    private static string WorkflowApp(string name, string nodes, int endX, string edges) => $$"""
        app: { mode: workflow, name: {{name}} }
        kind: app
        version: 0.1.2
        workflow:
          graph:
            nodes:
            - id: start
              position: { x: 0, y: 0 }
              data: { type: start, title: Start, variables: [] }
        {{nodes}}
            - id: end
              position: { x: {{endX}}, y: 0 }
              data: { type: end, title: End, outputs: [] }
            edges:
        {{edges}}
        """;

    private static readonly string Workflow = WorkflowApp("Two models", $"""
        {Llm("claude", "Draft", "anthropic", "claude-3-5-sonnet-20240620", 300)}
        {Llm("local", "Polish", "ollama", "llama3.1:8b", 600)}
        {Llm("claude2", "Check", "anthropic", "claude-3-5-sonnet-20240620", 900)}
        """, 1200, """
            - { source: start, target: claude }
            - { source: claude, target: local }
            - { source: local, target: claude2 }
            - { source: claude2, target: end }
        """);

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string yaml, bool publish = false, string bot = "new")
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(Encoding.UTF8.GetBytes(yaml));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/x-yaml");
        content.Add(part, "file", "app.yml");
        content.Add(new StringContent(publish ? "true" : "false"), "publish");
        content.Add(new StringContent(bot), "bot");
        return client.PostAsync("/v1/imports/dify", content);
    }

    private static async Task<JsonArray> ProvidersAsync(HttpClient client) =>
        (await (await client.GetAsync("/v1/model-providers")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray();

    private static JsonNode ModelLine(JsonNode import) =>
        Assert.Single(import["blocks"]!.AsArray(), b => (string?)b!["source_type"] == "model")!;

    [Fact]
    public async Task ImportDify_ChatAppWithOpenAiModel_OneKeylessProviderReportedAndTheBotNotSwitched()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify openai");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, ChatApp("Hours bot", "openai", "gpt-4o-mini"), publish: true)).JsonAsync(HttpStatusCode.Created);

        var provider = Assert.Single(await ProvidersAsync(client))!;
        Assert.Equal(("OpenAI gpt-4o-mini (from Dify)", "openai", null, false, "gpt-4o-mini"),
            ((string?)provider["name"], (string?)provider["kind"], (string?)provider["base_url"], (bool)provider["has_api_key"]!, (string?)provider["default_model"]));
        Assert.Equal([provider.Id()], import["model_provider_ids"]!.AsArray().Select(i => (string)i!));
        var line = ModelLine(import);
        Assert.Equal(("approximate", "model_config.model", "app"), ((string?)line["outcome"], (string?)line["block_id"], (string?)line["group"]));
        var note = (string)line["note"]!;
        foreach (var part in new[] { "openai / gpt-4o-mini", "temperature 0.4", "max tokens 600", provider.Id(), "without an API key", "add its API key", "bot's model settings (they already hold" })
        {
            Assert.Contains(part, note, StringComparison.Ordinal);
        }
        Assert.Equal(2, (int)import["summary"]!["approximate"]!);

        // The bot keeps the built-in model, with the app's settings for later, and its published flow still answers.
        var bot = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("builtin", 0.4, 600), ((string?)bot["model"]!["provider"], (double?)bot["model"]!["temperature"], (int?)bot["model"]!["max_tokens"]));
        var start = await client.StartConversationAsync(import.Id("bot_id"));
        Assert.Equal(["Ask me about our opening hours."], start.Texts());
        Assert.NotEmpty((await client.SendAsync(start["conversation"]!.Id(), "When are you open?")).Texts());
    }

    [Fact]
    public async Task ImportDify_SameModelTwice_OneProviderReused()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify twice");
        var client = app.Client(key);
        var first = await (await ImportAsync(client, ChatApp("Hours bot", "openai", "gpt-4o-mini"))).JsonAsync(HttpStatusCode.Created);

        // The same file again changes nothing; another app with the same model reuses the provider.
        var repeated = await (await ImportAsync(client, ChatApp("Hours bot", "openai", "gpt-4o-mini"))).JsonAsync(HttpStatusCode.OK);
        var second = await (await ImportAsync(client, ChatApp("Hours bot, second edition", "openai", "gpt-4o-mini"))).JsonAsync(HttpStatusCode.Created);

        var provider = Assert.Single(await ProvidersAsync(client))!;
        Assert.True((bool)repeated["repeated"]!);
        Assert.Equal([provider.Id()], second["model_provider_ids"]!.AsArray().Select(i => (string)i!));
        Assert.NotEqual(first.Id("bot_id"), second.Id("bot_id"));
        Assert.Contains("was reused", (string?)ModelLine(second)["note"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportDify_ProviderWithKeyAlreadyThere_ReusedAndNoKeyAsked()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify keyed");
        var client = app.Client(key);
        var mine = await (await client.PostJsonAsync("/v1/model-providers",
            new { name = "Our OpenAI", kind = "openai", base_url = "https://api.openai.com/v1", api_key = "sk-test-1234567890", default_model = "gpt-4o-mini" }))
            .JsonAsync(HttpStatusCode.Created);

        var import = await (await ImportAsync(client, ChatApp("Hours bot", "openai", "gpt-4o-mini"))).JsonAsync(HttpStatusCode.Created);

        Assert.Single(await ProvidersAsync(client));
        Assert.Equal([mine.Id()], import["model_provider_ids"]!.AsArray().Select(i => (string)i!));
        var note = (string)ModelLine(import)["note"]!;
        Assert.Contains("'Our OpenAI'", note, StringComparison.Ordinal);
        Assert.DoesNotContain("API key", note, StringComparison.Ordinal);
        var bot = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("builtin", (string?)bot["model"]!["provider"]);
    }

    [Fact]
    public async Task ImportDify_IntoAnExistingBot_ItsModelSettingsStayAsTheyWere()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify existing bot");
        var client = app.Client(key);
        var botId = (await (await client.PostJsonAsync("/v1/bots", new { name = "Ours", model = new { temperature = 0.9 } })).JsonAsync(HttpStatusCode.Created)).Id();

        var import = await (await ImportAsync(client, ChatApp("Hours bot", "openai", "gpt-4o-mini"), bot: botId)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(botId, import.Id("bot_id"));
        Assert.Single(await ProvidersAsync(client));
        Assert.Contains("with temperature 0.4, max tokens 600", (string?)ModelLine(import)["note"], StringComparison.Ordinal);
        var bot = await (await client.GetAsync($"/v1/bots/{botId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("builtin", 0.9, null), ((string?)bot["model"]!["provider"], (double?)bot["model"]!["temperature"], (int?)bot["model"]!["max_tokens"]));
    }

    [Fact]
    public async Task ImportDify_WorkflowWithAnthropicAndOllamaNodes_TwoProvidersAndTheBaseUrlAskedFor()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify workflow");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, Workflow)).JsonAsync(HttpStatusCode.Created);

        var providers = (await ProvidersAsync(client)).Select(p => ((string?)p!["name"], (string?)p["kind"], (string?)p["base_url"], (bool)p["has_api_key"]!, (string?)p["default_model"]))
            .OrderBy(p => p.Item1).ToList();
        Assert.Equal(
            [("Anthropic claude-3-5-sonnet-20240620 (from Dify)", "anthropic", null, false, "claude-3-5-sonnet-20240620"), ("Ollama llama3.1:8b (from Dify)", "openai", null, false, "llama3.1:8b")],
            providers);
        Assert.Equal(2, import["model_provider_ids"]!.AsArray().Count);
        var lines = import["blocks"]!.AsArray().Where(b => (string?)b!["source_type"] == "model").ToDictionary(b => (string)b!["block_id"]!, b => (string)b!["note"]!);
        Assert.Equal(["claude.model", "local.model", "claude2.model"], lines.Keys);
        Assert.Contains("set its base URL", lines["local.model"], StringComparison.Ordinal);
        Assert.DoesNotContain("base URL", lines["claude.model"], StringComparison.Ordinal);
        var bot = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("builtin", (string?)bot["model"]!["provider"]);
    }

    private static readonly string WorkflowWithClassifier = WorkflowApp("Sorted answers", $$"""
            - id: sort
              position: { x: 300, y: 0 }
              data:
                type: question-classifier
                title: Sort the question
                model: { provider: openai, name: gpt-4o-mini, mode: chat, completion_params: { temperature: 0.1 } }
                classes: [ { id: "1", name: Billing }, { id: "2", name: Other } ]
                query_variable_selector: [ sys, query ]
        {{Llm("answer", "Answer", "openai", "gpt-4o", 600)}}
        """, 900, """
            - { source: start, target: sort }
            - { source: sort, sourceHandle: "1", target: answer }
            - { source: sort, sourceHandle: "2", target: answer }
            - { source: answer, target: end }
        """);

    [Fact]
    public async Task ImportDify_ClassifierWithItsOwnModel_ProviderMadeAndOnlyTheAnsweringModelsSettingsKept()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify classifier");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, WorkflowWithClassifier)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(["gpt-4o", "gpt-4o-mini"], (await ProvidersAsync(client)).Select(p => (string)p!["default_model"]!).Order(StringComparer.Ordinal));
        var lines = import["blocks"]!.AsArray().Where(b => (string?)b!["source_type"] == "model").ToDictionary(b => (string)b!["block_id"]!, b => (string)b!["note"]!);
        Assert.Equal(["sort.model", "answer.model"], lines.Keys);
        Assert.Contains("sorted questions", lines["sort.model"], StringComparison.Ordinal);
        Assert.DoesNotContain("sorted questions", lines["answer.model"], StringComparison.Ordinal);
        // The classifier's temperature (0.1) says nothing about answering: the new bot keeps the answering node's.
        var bot = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("builtin", 0.2), ((string?)bot["model"]!["provider"], (double?)bot["model"]!["temperature"]));
    }

    [Fact]
    public async Task ImportDify_ProviderParleyCannotReach_ReportedNotCarriedAndNoneCreated()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify tongyi");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, ChatApp("Qwen bot", "tongyi", "qwen-max"))).JsonAsync(HttpStatusCode.Created);

        Assert.Empty(await ProvidersAsync(client));
        Assert.Empty(import["model_provider_ids"]!.AsArray());
        var bot = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Null(bot["model"]!["temperature"]);
        var line = ModelLine(import);
        Assert.Equal("not_carried", (string?)line["outcome"]);
        Assert.Contains("cannot connect to 'tongyi'", (string?)line["note"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportDify_MalformedFileWithAModel_422AndNoProvider()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify malformed");
        var client = app.Client(key);
        var before = await PlatformImportCounts.Of(app);
        var noStart = Workflow.Replace("type: start", "type: code", StringComparison.Ordinal);

        var problem = await (await ImportAsync(client, noStart)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_import_file");

        Assert.Contains("no start node", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Empty(await ProvidersAsync(client));
        Assert.Equal(before, await PlatformImportCounts.Of(app));
    }

    [Fact]
    public async Task ImportFromCommand_DifyWorkflow_MakesTheSameProvidersOnce()
    {
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Dify command line");
        var folder = Directory.CreateTempSubdirectory("parley-import-from-");
        var file = Path.Combine(folder.FullName, "app.yml");
        await File.WriteAllTextAsync(file, Workflow);
        async Task<(int Exit, string Output)> RunAsync()
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            var (command, _) = ImportFromCommand.Parse(["import-from", "dify", file], output, error);
            var exit = await new ImportFromRunner(app.Services, output, error).RunAsync(command! with { WorkspaceId = workspaceId }, CancellationToken.None);
            return (exit, output.ToString());
        }

        var first = await RunAsync();
        await File.WriteAllTextAsync(file, Workflow.Replace("Two models", "Two models, again", StringComparison.Ordinal));
        var second = await RunAsync();

        Assert.Equal((0, 0), (first.Exit, second.Exit));
        Assert.Contains("approximate  local.model (model, group 'Polish')", first.Output, StringComparison.Ordinal);
        Assert.Equal(2, (await ProvidersAsync(app.Client(key))).Count);
        folder.Delete(recursive: true);
    }
}
