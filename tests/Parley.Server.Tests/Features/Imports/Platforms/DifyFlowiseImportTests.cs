using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Parley.Server.Tests.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms;

public sealed class DifyFlowiseImportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private static byte[] Fixture(string platform, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", platform, "Fixtures", name));

    private static Task<HttpResponseMessage> ImportAsync(HttpClient client, string source, byte[] file, string? publish = null)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue(source == "dify" ? "application/x-yaml" : "application/json");
        content.Add(part, "file", source == "dify" ? "app.yml" : "flow.json");
        if (publish is not null)
        {
            content.Add(new StringContent(publish), "publish");
        }
        return client.PostAsync($"/v1/imports/{source}", content);
    }

    private Task<string> CountsAsync() => PlatformImportCounts.Of(app);

    [Fact]
    public async Task ImportDify_SupportChatflowPublished_AsksTheSameQuestionsAndReachesTheSameEnds()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dify shop");
        var client = app.Client(key);
        var import = await (await ImportAsync(client, "dify", Fixture("Dify", "support-chatflow-0.1.2.yml"), publish: "true")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(("dify", "Acme support", 1), ((string?)import["source"], (string?)import["name"], (int)import["published_version"]!));
        Assert.Equal(15, (int)import["summary"]!["blocks"]!);
        var model = import["blocks"]!.AsArray().Single(b => (string?)b!["block_id"] == "1711528925000.model")!;
        Assert.Equal(("approximate", "model"), ((string?)model["outcome"], (string?)model["source_type"]));
        var code = import["blocks"]!.AsArray().Single(b => (string?)b!["block_id"] == "1711528923000")!;
        Assert.Equal(("not_carried", "code", "Clean the question"), ((string?)code["outcome"], (string?)code["source_type"], (string?)code["group"]));
        var botId = import.Id("bot_id");

        // A Pro customer is promised a specialist.
        var start = await client.StartConversationAsync(botId);
        Assert.Equal(["Hi! I'm Acme's assistant.", "Your name"], start.Texts());
        var id = start["conversation"]!.Id();
        Assert.Equal(["Your plan"], (await client.SendAsync(id, "Ada")).Texts());
        Assert.Equal(["Thanks Ada, a Pro specialist will answer you within the hour."], (await client.ChooseAsync(id, "Pro")).Texts());

        // A Free customer picks the billing class, the status call is made, and the topic is remembered.
        id = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        await client.SendAsync(id, "Bea");
        var classes = await client.ChooseAsync(id, "Free");
        Assert.Equal(["Which of these is your question about?"], classes.Texts());
        Assert.Equal(["1", "2"], classes["messages"]![0]!.Choices());
        Assert.Equal(["Your billing question is noted (billing). Our billing team will reply by email."], (await client.ChooseAsync(id, "1")).Texts());

        var again = await (await client.GetAsync($"/v1/imports/dify/{import.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(import["blocks"]!.ToJsonString(), again["blocks"]!.ToJsonString());
        // Each platform's GET shows only its own imports.
        await (await client.GetAsync($"/v1/imports/flowise/{import.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ImportFlowise_HelpdeskAgentFlowPublished_AsksTheFormAndReachesTheSameEnds()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Flowise shop");
        var client = app.Client(key);
        var import = await (await ImportAsync(client, "flowise", Fixture("Flowise", "helpdesk-agentflow-v2.json"), publish: "true")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(("flowise", "Acme helpdesk"), ((string?)import["source"], (string?)import["name"]));
        Assert.Equal(1, (int)import["summary"]!["not_carried"]!);
        var botId = import.Id("bot_id");

        var start = await client.StartConversationAsync(botId);
        Assert.Equal(["Your email"], start.Texts());
        var id = start["conversation"]!.Id();
        Assert.Equal(["Topic"], (await client.SendAsync(id, "ada@acme.example")).Texts());
        Assert.Equal(["Our sales team will email you at ada@acme.example today."], (await client.ChooseAsync(id, "Sales")).Texts());

        id = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        await client.SendAsync(id, "bea@acme.example");
        Assert.Equal(["Shall we open a support ticket for you?"], (await client.ChooseAsync(id, "Support")).Texts());
        Assert.Equal(["Your ticket is open. We will write to you soon."], (await client.ChooseAsync(id, "proceed")).Texts());
    }

    [Fact]
    public async Task ImportFlowise_WorkspaceExport_FlowRunsAndPastConversationsAndDocumentsCome()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Flowise workspace");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, "flowise", Fixture("Flowise", "ExportData.json"), publish: "true")).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("Acme helpdesk", 2, 6), ((string?)import["name"], (int)import["summary"]!["conversations"]!, (int)import["summary"]!["messages"]!));
        var botId = import.Id("bot_id");
        Assert.Equal(["Your email"], (await client.StartConversationAsync(botId)).Texts());
        var source = await (await client.GetAsync($"/v1/bots/{botId}/knowledge/{(string)import["knowledge_source_ids"]![0]!}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Helpdesk articles — accounts.txt", "ready"), ((string?)source["title"], (string?)source["status"]));

        // The past conversations are closed, with their transcripts in order at their own times.
        var closed = await (await client.GetAsync("/v1/conversations?status=closed")).JsonAsync(HttpStatusCode.OK);
        var login = Assert.Single(closed["data"]!.AsArray(), c => (string?)c!["bot_id"] == botId && (int)c["message_count"]! == 4)!;
        var transcript = await (await client.GetAsync($"/v1/conversations/{login.Id()}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(
            ["Hi, I can't log in to my account", "Sorry to hear that! Could you tell me the email you signed up with?", "ada@acme.example", "Thanks Ada. I've sent a reset link to ada@acme.example."],
            transcript["data"]!.AsArray().Select(m => (string)m!["text"]!));
        Assert.Equal(["user", "bot", "user", "bot"], transcript["data"]!.AsArray().Select(m => (string)m!["role"]!));
        Assert.StartsWith("2026-09-21T08:02:11", (string?)transcript["data"]![0]!["created_at"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("dify", "Dify", "support-chatflow-0.1.2.yml")]
    [InlineData("flowise", "Flowise", "qa-chatflow.json")]
    [InlineData("flowise", "Flowise", "ExportData.json")]
    public async Task Import_SameFileTwice_SecondAnswersTheFirstAndChangesNothing(string source, string folder, string fixture)
    {
        var (_, key) = await app.CreateWorkspaceAsync("Twice " + source);
        var client = app.Client(key);
        var first = await (await ImportAsync(client, source, Fixture(folder, fixture), publish: "true")).JsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync();

        var second = await (await ImportAsync(client, source, Fixture(folder, fixture), publish: "true")).JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)second["repeated"]!);
        Assert.Equal((first.Id(), first.Id("bot_id")), (second.Id(), second.Id("bot_id")));
        Assert.Equal(before, await CountsAsync());
    }

    public static TheoryData<string, string, string> HostileFiles()
    {
        var bomb = new StringBuilder("app: { mode: workflow, name: Bomb }\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var i = 0; i < 9; i++)
        {
            var (name, previous) = ((char)('b' + i), (char)('a' + i));
            bomb.Append($"{name}: &{name} [*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous},*{previous}]\n");
        }
        return new()
        {
            { "dify", bomb.ToString(), "anchors or aliases" },
            { "dify", new string('[', 200_000) + new string(']', 200_000), "nested more than 64 levels" },
            { "dify", "app: { mode: advanced-chat, name: X\n  broken", "not valid YAML" },
            { "dify", "app: { mode: advanced-chat, name: X }\nkind: app\nworkflow: { graph: { nodes: [], edges: [] } }", "no start node" },
            { "flowise", "{ \"nodes\": " + new string('[', 100_000) + new string(']', 100_000) + " }", "not valid JSON" },
            { "flowise", "{ \"nodes\": [ { \"id\": \"x\", \"data\": { \"name\": \"llmAgentflow\" } } ] }", "no Start node" },
        };
    }

    [Theory]
    [MemberData(nameof(HostileFiles))]
    public async Task Import_MalformedOrHostileFile_422WithTheReasonAndNothingWritten(string source, string file, string reason)
    {
        var client = app.Client();
        var before = await CountsAsync();

        var problem = await (await ImportAsync(client, source, Encoding.UTF8.GetBytes(file))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_import_file");

        Assert.Contains(reason, (string?)problem["detail"]);
        Assert.Contains("Nothing was written", (string?)problem["detail"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task Import_FileOver10MB_413AndNothingWritten()
    {
        var client = app.Client();
        var before = await CountsAsync();

        await (await ImportAsync(client, "dify", Encoding.UTF8.GetBytes("a: " + new string('x', 11 * 1024 * 1024)))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        Assert.Equal(before, await CountsAsync());
    }
}
