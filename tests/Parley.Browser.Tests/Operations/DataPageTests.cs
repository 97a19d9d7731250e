using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Operations;

/// <summary>The Data page: a full export downloaded from the page, archives imported with their report, and another platform's export imported.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DataPageTests : IClassFixture<DataPageTests.DataServer>
{
    private readonly BrowserFixture _fixture;
    private readonly ParleyServer _server;

    public DataPageTests(BrowserFixture fixture, DataServer owned)
    {
        (_fixture, _server) = (fixture, owned.Server);
        SetDefaultExpectTimeout(30_000);
    }

    public sealed class DataServer : IAsyncLifetime
    {
        public ParleyServer Server { get; } = new();

        public async Task InitializeAsync()
        {
            Server.Start();
            await Dashboard.Dashboard.CreateOwnerAsync(Server);
        }

        public async Task DisposeAsync()
        {
            await Server.DisposeAsync();
            Server.DeleteData();
        }
    }

    [Fact]
    public async Task Export_StartedFromThePage_DownloadsAValidArchive_ItsChangedCopyIsRefused_AndItImportsAsSkipped()
    {
        using var api = new HttpClient { BaseAddress = new Uri(_server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        var bot = await (await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = "Front desk" })).Content.ReadFromJsonAsync<JsonObject>();
        var started = await (await api.PostAsJsonAsync("/v1/conversations", new JsonObject { ["bot_id"] = (string)bot!["id"]! }))
            .Content.ReadFromJsonAsync<JsonObject>();
        var conversationId = (string)started!["conversation"]!["id"]!;
        (await api.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages", new JsonObject { ["text"] = "Do you ship to Canada?" }))
            .EnsureSuccessStatusCode();

        await using var context = await _fixture.Browser.NewContextAsync(new() { AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        await Dashboard.Dashboard.Nav(page, "Data").ClickAsync();
        await Expect(Dashboard.Dashboard.Heading(page, "Data")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("archive-contents")).ToContainTextAsync("Usage counters");
        await Axe.AssertNoSeriousViolationsAsync(page, "data page");

        await page.GetByLabel("Include personal data in clear").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Start full export" }).ClickAsync();
        await Expect(page.GetByTestId("export-job")).ToHaveAttributeAsync("data-status", "succeeded");
        await Expect(page.GetByTestId("export-job")).ToContainTextAsync("100%");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-download").ClickAsync());
        var archivePath = Path.Combine(Path.GetTempPath(), $"parley-export-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(archivePath);
        try
        {
            using (var zip = ZipFile.OpenRead(archivePath))
            {
                var manifest = JsonNode.Parse(await ReadAsync(zip, "manifest.json"))!;
                Assert.Equal(1, (int)manifest["format_version"]!);
                Assert.Equal("included", (string?)manifest["pii"]);
                var files = manifest["files"]!.AsArray().ToDictionary(f => (string)f!["name"]!, f => (long)f!["count"]!);
                foreach (var (name, count) in files.Where(f => f.Key.EndsWith(".ndjson", StringComparison.Ordinal)))
                {
                    var lines = (await ReadAsync(zip, name)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                    Assert.Equal(count, lines.Length);
                }
                Assert.Equal(1, files["conversations.ndjson"]);
                Assert.Contains("Do you ship to Canada?", await ReadAsync(zip, "messages.ndjson"), StringComparison.Ordinal);
            }

            // The same archive with one file changed is refused, and the page says which file and why.
            var changed = await ChangedCopyAsync(archivePath, "messages.ndjson");
            await page.GetByTestId("import-archive").SetInputFilesAsync(new FilePayload { Name = "changed.zip", MimeType = "application/zip", Buffer = changed });
            await Expect(page.GetByTestId("import-error")).ToContainTextAsync("changed.zip was not imported.");
            await Expect(page.GetByTestId("import-error")).ToContainTextAsync("messages.ndjson does not match its SHA-256 in the manifest");
            await Expect(page.GetByTestId("import-report")).ToHaveCountAsync(0);
            await Axe.AssertNoSeriousViolationsAsync(page, "data page, a refused archive");

            // The archive itself imports: everything in it is already here, so every row is skipped.
            await page.GetByTestId("import-archive").SetInputFilesAsync(archivePath);
            var report = page.GetByTestId("import-report");
            await Expect(report).ToContainTextAsync("imported");
            await Expect(report.Locator("tr").Filter(new() { HasText = "conversations.ndjson" })).ToContainTextAsync("conversations.ndjson10100");
            await Expect(page.GetByTestId("import-error")).ToHaveCountAsync(0);
            await Axe.AssertNoSeriousViolationsAsync(page, "data page, an import report");
            await Dashboard.Dashboard.ScreenshotAsync(page, "30-data");
        }
        finally
        {
            File.Delete(archivePath);
        }
    }

    [Fact]
    public async Task TypebotExport_UploadedOnThePage_ReportsWhatWasNotCarried_OpensItsFlow_AndABadFileWritesNothing()
    {
        using var api = new HttpClient { BaseAddress = new Uri(_server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        await using var context = await _fixture.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        await Dashboard.Dashboard.SignInAsync(page, _server);
        await Dashboard.Dashboard.Nav(page, "Data").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import from another platform" })).ToBeVisibleAsync();
        var file = page.GetByTestId("platform-import-file");

        // Not a Typebot export: refused with the server's reason, and no bot is made.
        var botsBefore = await BotCountAsync(api);
        await file.SetInputFilesAsync(new FilePayload { Name = "notes.json", MimeType = "application/json", Buffer = "{\"hello\": 1}"u8.ToArray() });
        await Expect(page.GetByTestId("platform-import-error")).ToContainTextAsync("notes.json was not imported.");
        await Expect(page.GetByTestId("platform-import-report")).ToHaveCountAsync(0);
        Assert.Equal(botsBefore, await BotCountAsync(api));

        // A real export (Typebot 6.1): a new bot, the summary, and the blocks that did not map exactly, with the reason.
        var export = RepositoryFiles.PathOf("tests/Parley.Engine.Tests/Imports/Typebot/Fixtures/lead-generation-v6.1.json");
        await file.SetInputFilesAsync(export);
        var report = page.GetByTestId("platform-import-report");
        await Expect(report).ToContainTextAsync("imported into Acme lead generation, as its draft");
        await Expect(page.GetByTestId("platform-import-error")).ToHaveCountAsync(0);
        var summary = await page.GetByTestId("platform-import-summary").TextContentAsync() ?? "";
        Assert.Matches(@"\d+ blocks: \d+ carried over, \d+ approximately, [1-9]\d* not carried over", summary);
        var code = report.Locator("tr").Filter(new() { HasText = "Code" });
        await Expect(code).ToContainTextAsync("Not carried over");
        Assert.Equal(botsBefore + 1, await BotCountAsync(api));
        await Axe.AssertNoSeriousViolationsAsync(page, "data page, a platform import report");
        await Dashboard.Dashboard.ScreenshotAsync(page, "31-data-platform-import");

        // The same file again changes nothing, and says so.
        await file.SetInputFilesAsync(export);
        await Expect(report).ToContainTextAsync("was already imported into Acme lead generation: nothing changed");
        Assert.Equal(botsBefore + 1, await BotCountAsync(api));

        // The link opens the imported flow in the builder.
        await report.GetByRole(AriaRole.Link, new() { Name = "Open its flow" }).ClickAsync();
        await Expect(Dashboard.Dashboard.Heading(page, "Flows")).ToBeVisibleAsync();
        await Expect(page.Locator(".flow-canvas .drawflow-node").First).ToBeVisibleAsync();
    }

    private static async Task<int> BotCountAsync(HttpClient api) =>
        (await api.GetFromJsonAsync<JsonObject>("/v1/bots?limit=100"))!["data"]!.AsArray().Count;

    private static async Task<string> ReadAsync(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return await reader.ReadToEndAsync();
    }

    private static async Task<byte[]> ChangedCopyAsync(string archivePath, string file)
    {
        using var copy = new MemoryStream();
        await using (var source = File.OpenRead(archivePath))
        {
            await source.CopyToAsync(copy);
        }
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.GetEntry(file)!;
            string text;
            using (var reader = new StreamReader(entry.Open()))
            {
                text = await reader.ReadToEndAsync();
            }
            entry.Delete();
            await using var writer = new StreamWriter(zip.CreateEntry(file).Open());
            await writer.WriteAsync(text.Replace("Canada", "Mexico", StringComparison.Ordinal));
        }
        return copy.ToArray();
    }
}
