using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Parley.Server.Features.Imports.Platforms;
using Parley.Server.Tests.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms;

public sealed class TypebotImportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    internal static byte[] Fixture(string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Imports", "Typebot", "Fixtures", name));

    internal static Task<HttpResponseMessage> ImportAsync(HttpClient client, byte[] file, string? bot = null, string? publish = null)
    {
        var content = new MultipartFormDataContent();
        var part = new ByteArrayContent(file);
        part.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Add(part, "file", "typebot-export.json");
        if (bot is not null)
        {
            content.Add(new StringContent(bot), "bot");
        }
        if (publish is not null)
        {
            content.Add(new StringContent(publish), "publish");
        }
        return client.PostAsync("/v1/imports/typebot", content);
    }

    private Task<string> CountsAsync() => PlatformImportCounts.Of(app);

    [Fact]
    public async Task ImportTypebot_LeadGenerationIntoNewBot_DraftSavedAndEveryBlockReported()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Acme");
        var client = app.Client(key);

        var import = await (await ImportAsync(client, Fixture("lead-generation-v6.1.json"))).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("typebot", (string?)import["source"]);
        Assert.Equal("Acme lead generation", (string?)import["name"]);
        Assert.Null(import["published_version"]);
        Assert.False((bool)import["repeated"]!);
        var blocks = import["blocks"]!.AsArray();
        Assert.Equal(37, (int)import["summary"]!["blocks"]!);
        Assert.Equal(blocks.Count, (int)import["summary"]!["created"]! + (int)import["summary"]!["approximate"]! + (int)import["summary"]!["not_carried"]!);
        var code = blocks.Single(b => (string?)b!["block_id"] == "bl0code")!;
        Assert.Equal(("not_carried", "Code", "Standard"), ((string?)code["outcome"], (string?)code["source_type"], (string?)code["group"]));
        Assert.Contains("JavaScript", (string?)code["note"]);

        var bot = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Acme lead generation", (string?)bot["name"]);
        var draft = await (await client.GetAsync($"/v1/bots/{import.Id("bot_id")}/flow")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("bl0hello", (string?)draft["draft"]!["start"]);
        Assert.Null(draft["published_version"]);

        var again = await (await client.GetAsync($"/v1/imports/typebot/{import.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(import["blocks"]!.ToJsonString(), again["blocks"]!.ToJsonString());
        // The archive import endpoint does not show another platform's import as its own.
        await (await client.GetAsync($"/v1/imports/{import.Id()}")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task ImportTypebot_SameFileTwice_SecondAnswersTheFirstAndChangesNothing()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Twice");
        var client = app.Client(key);
        var first = await (await ImportAsync(client, Fixture("appointment-v5.json"), publish: "true")).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, (int)first["published_version"]!);
        var before = await CountsAsync();

        var second = await (await ImportAsync(client, Fixture("appointment-v5.json"), publish: "true")).JsonAsync(HttpStatusCode.OK);

        Assert.True((bool)second["repeated"]!);
        Assert.Equal((first.Id(), first.Id("bot_id")), (second.Id(), second.Id("bot_id")));
        Assert.Equal(before, await CountsAsync());
        var versions = await (await client.GetAsync($"/v1/bots/{first.Id("bot_id")}/flow/versions")).JsonAsync(HttpStatusCode.OK);
        Assert.Single(versions["data"]!.AsArray());

        // Into another bot, the same file is a new import.
        var other = await client.CreateBotAsync("Existing");
        var into = await (await ImportAsync(client, Fixture("appointment-v5.json"), bot: other)).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(other, into.Id("bot_id"));
        Assert.Equal("Existing", (string?)(await (await client.GetAsync($"/v1/bots/{other}")).JsonAsync(HttpStatusCode.OK))["name"]);
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "{ \"version\": \"6.1\", \"groups\": [", "not valid JSON" },
        { "{ \"version\": \"2\", \"groups\": [], \"edges\": [] }", "not supported" },
        { "{ \"name\": \"a chatbot export of some other tool\" }", "\"version\" is missing" },
        { new string('[', 5000) + new string(']', 5000), "not valid JSON" },
        { "{ \"version\": \"6.1\", \"groups\": [], \"edges\": [], \"events\": [ { \"id\": \"s\", \"type\": \"start\" } ] }", "not connected" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task ImportTypebot_BadFile_422WithTheReasonAndNothingWritten(string file, string reason)
    {
        var client = app.Client();
        var before = await CountsAsync();

        var problem = await (await ImportAsync(client, Encoding.UTF8.GetBytes(file))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_import_file");

        Assert.Contains(reason, (string?)problem["detail"]);
        Assert.Contains("Nothing was written", (string?)problem["detail"]);
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task ImportTypebot_BadRequests_ClearProblemsAndNothingWritten()
    {
        var client = app.Client();
        var before = await CountsAsync();
        var file = Fixture("lead-generation-v6.1.json");

        await (await client.PostJsonAsync("/v1/imports/typebot", new { file = "x" })).ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
        await (await client.PostAsync("/v1/imports/typebot", new MultipartFormDataContent { { new StringContent("new"), "bot" } }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await ImportAsync(client, file, publish: "maybe")).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        await (await ImportAsync(client, file, bot: "bot_00000000000000000000000000")).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        // A bot of another workspace is not found either, and is left alone.
        var (_, otherKey) = await app.CreateWorkspaceAsync("Neighbour");
        var neighbours = await app.Client(otherKey).CreateBotAsync("Theirs");
        before = await CountsAsync();
        await (await ImportAsync(client, file, bot: neighbours)).ProblemAsync(HttpStatusCode.NotFound, "not_found");
        // A file far larger than any flow export is refused before it is read.
        await (await ImportAsync(client, new byte[11 * 1024 * 1024])).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task ImportTypebot_WithoutBotsWriteScope_403AndWithoutKey_401()
    {
        var owner = app.Client();
        var reader = await (await owner.PostJsonAsync("/v1/api-keys", new { name = "read only", scopes = new[] { "bots:read" } })).JsonAsync(HttpStatusCode.Created);
        var before = await CountsAsync();

        await (await ImportAsync(app.Client((string)reader["secret"]!), Fixture("appointment-v5.json"))).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await ImportAsync(app.Client(null), Fixture("appointment-v5.json"))).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");

        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task ImportTypebot_LeadGenerationPublished_AsksTheSameQuestionsCapturesTheLeadAndBooks()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Run");
        var client = app.Client(key);
        var import = await (await ImportAsync(client, Fixture("lead-generation-v6.1.json"), publish: "true")).JsonAsync(HttpStatusCode.Created);
        var botId = import.Id("bot_id");

        // The quote path: name, email, phone, budget, and a budget over 5000 ends with the specialist's promise.
        var start = await client.StartConversationAsync(botId);
        Assert.Equal(
            ["Hi there 👋 I'm **Ava**, Acme's assistant.\nRead our [privacy notice](https://acme.example/privacy) any time.",
             "![Acme logo](https://acme.example/logo.png)", "What brings you here today?"],
            start.Texts());
        Assert.Equal(["option_1", "option_2", "option_3"], start["messages"]![2]!.Choices());
        var id = start["conversation"]!.Id();
        Assert.Equal(["What's your name?"], (await client.ChooseAsync(id, "option_1")).Texts());
        Assert.Equal(["Nice to meet you, Ada! What's your *work email*?"], (await client.SendAsync(id, "Ada")).Texts());
        var retry = (await client.SendAsync(id, "ada at acme")).Texts();
        Assert.StartsWith("This email doesn't seem to be valid.", Assert.Single(retry));
        Assert.Equal(["And a phone number we can reach you on?"], (await client.SendAsync(id, "ada@acme.example")).Texts());
        Assert.Equal(["What's your monthly budget, in euros?"], (await client.SendAsync(id, "06 12 34 56 78")).Texts());
        var end = await client.SendAsync(id, "12000");
        Assert.Equal(
            ["Great, Ada! A senior specialist will call you at +33612345678 within the day.", "[Video](https://www.youtube.com/watch?v=acme-intro)"],
            end.Texts());

        // One lead, captured at the email and updated with the phone.
        var lead = Assert.Single((await (await client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK))["data"]!.AsArray())!;
        Assert.Equal(("Ada", "ada@acme.example", "+33612345678"), ((string?)lead["fields"]!["name"], (string?)lead["fields"]!["email"], (string?)lead["fields"]!["phone"]));

        // The demo path books a time on the bot's own calendar and comes back to the welcome.
        var week = new[] { "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday" }
            .ToDictionary(d => d, _ => new[] { new { start = "00:00", end = "23:59" } });
        await (await client.PatchJsonAsync($"/v1/bots/{botId}", new { booking = new { time_zone = "UTC", weekly_hours = week, slot_minutes = 60, minimum_notice_minutes = 0 } }))
            .JsonAsync(HttpStatusCode.OK);
        id = (await client.StartConversationAsync(botId))["conversation"]!.Id();
        Assert.Equal(["Who's the demo for?"], (await client.ChooseAsync(id, "option_2")).Texts());
        Assert.Equal(["Your work email"], (await client.SendAsync(id, "Bea")).Texts());
        var times = await client.SendAsync(id, "bea@acme.example");
        Assert.Equal("Here are the next free times. Which suits you?", Assert.Single(times.Texts()));
        var slot = times["messages"]![0]!.Choices()[0];
        var booked = (await client.ChooseAsync(id, slot)).Texts();
        Assert.Equal($"See you on {slot}, Bea!", booked[1]);
        Assert.Equal("What brings you here today?", booked[^1]);
        var bookings = (await (await client.GetAsync("/v1/bookings")).JsonAsync(HttpStatusCode.OK)).ToJsonString();
        Assert.Contains("bea@acme.example", bookings);
    }

    [Fact]
    public async Task ImportTypebot_AppointmentV5Published_HumanPathHandsOff()
    {
        var (_, key) = await app.CreateWorkspaceAsync("Dental");
        var client = app.Client(key);
        var import = await (await ImportAsync(client, Fixture("appointment-v5.json"), publish: "true")).JsonAsync(HttpStatusCode.Created);

        var start = await client.StartConversationAsync(import.Id("bot_id"));
        Assert.Equal(["Welcome to **Smile Dental** 🦷", "How can we help?"], start.Texts());
        var handoff = await client.ChooseAsync(start["conversation"]!.Id(), "Talk to someone");

        Assert.Equal("handoff", (string?)handoff["conversation"]!["status"]);
    }

    [Fact]
    public async Task ImportFromCommand_TypebotFile_ImportsOnceReportsAndRefusesBadInput()
    {
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Command line");
        var folder = Directory.CreateTempSubdirectory("parley-import-from-");
        var file = Path.Combine(folder.FullName, "export.json");
        await File.WriteAllBytesAsync(file, Fixture("appointment-v5.json"));
        async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
        {
            var (output, error) = (new StringWriter(), new StringWriter());
            var (command, exit) = ImportFromCommand.Parse(["import-from", .. args], output, error);
            if (command is not null)
            {
                exit = await new ImportFromRunner(app.Services, output, error).RunAsync(command with { WorkspaceId = workspaceId }, CancellationToken.None);
            }
            return (exit!.Value, output.ToString(), error.ToString());
        }

        var first = await RunAsync("typebot", file, "--publish");
        Assert.Equal(0, first.Exit);
        Assert.Contains("not_carried  b5survey (text, group 'Survey (variant B)')", first.Output);
        Assert.Contains("published as version 1", first.Output);
        var before = await CountsAsync();
        var again = await RunAsync("typebot", file, "--publish");
        Assert.Equal(0, again.Exit);
        Assert.Contains("nothing was changed", again.Output);
        var bots = await (await app.Client(key).GetAsync("/v1/bots")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Smile Dental appointments", (string?)Assert.Single(bots["data"]!.AsArray())!["name"]);

        await File.WriteAllTextAsync(file, "{ \"version\": \"6.1\", \"groups\": 3 }");
        var bad = await RunAsync("typebot", file);
        Assert.Equal((1, true), (bad.Exit, bad.Error.Contains("\"groups\" must be an array", StringComparison.Ordinal)));
        Assert.Equal(2, (await RunAsync("typebot", Path.Combine(folder.FullName, "missing.json"))).Exit);
        Assert.Equal(2, (await RunAsync("landbot", file)).Exit);
        Assert.Equal(2, (await RunAsync("typebot", file, "--colour")).Exit);
        Assert.Equal(before, await CountsAsync());
        folder.Delete(recursive: true);
    }
}
