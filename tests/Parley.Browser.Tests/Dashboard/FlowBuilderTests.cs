using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Parley.Browser.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Parley.Browser.Tests.Dashboard;

/// <summary>The flow builder on one server: a flow built with the mouse runs for visitors; two editors never overwrite each other.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class FlowBuilderTests : IClassFixture<DashboardTests.OwnedServer>
{
    private static readonly BrowserNewContextOptions Wide = new() { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } };
    private readonly BrowserFixture _fixture;
    private readonly ParleyServer _server;

    public FlowBuilderTests(BrowserFixture fixture, DashboardTests.OwnedServer owned)
    {
        (_fixture, _server) = (fixture, owned.Server);
        SetDefaultExpectTimeout(30_000);
    }

    private HttpClient Api()
    {
        var api = new HttpClient { BaseAddress = new Uri(_server.Url) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ParleyServer.OwnerKey);
        return api;
    }

    private async Task<string> CreateBotAsync(string name)
    {
        using var api = Api();
        var response = await api.PostAsJsonAsync("/v1/bots", new JsonObject { ["name"] = name });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    private async Task<IPage> OpenFlowAsync(IBrowserContext context, string botId)
    {
        var page = await context.NewPageAsync();
        await Dashboard.SignInAsync(page, _server);
        // The builder's assembly is not part of the first load (the build loads its symbols, the publish does not); the first visit to Flows fetches it.
        // So is the client's part for the lazy areas (Parley.Client.Operations, with the flow calls and models).
        const string FlowsFetched = "() => performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('Parley.Dashboard.Flows') && n.includes('.wasm'))";
        const string ClientOperationsFetched = "() => performance.getEntriesByType('resource').map(r => r.name).filter(n => n.includes('Parley.Client.Operations') && n.includes('.wasm'))";
        Assert.Empty(await page.EvaluateAsync<string[]>(FlowsFetched));
        Assert.Empty(await page.EvaluateAsync<string[]>(ClientOperationsFetched));
        await Dashboard.Nav(page, "Flows").ClickAsync();
        await Expect(Dashboard.Heading(page, "Flows")).ToBeVisibleAsync();
        Assert.NotEmpty(await page.EvaluateAsync<string[]>(FlowsFetched));
        Assert.NotEmpty(await page.EvaluateAsync<string[]>(ClientOperationsFetched));
        // Loaded again, not opened in the app: the builder reads ?bot= when it starts, and opened in the app from the
        // builder already on screen it would keep the bot it shows.
        await page.GotoAsync($"{_server.Url}/app/flows?bot={botId}");
        await Expect(Dashboard.Heading(page, "Flows")).ToBeVisibleAsync();
        await Expect(page.Locator(".flow-canvas .drawflow")).ToBeVisibleAsync();
        // The draft is in once the palette's buttons are enabled: a shortcut pressed before that is ignored.
        await Expect(page.Locator("[data-block-type='message'] button")).ToBeEnabledAsync();
        return page;
    }

    private static ILocator Block(IPage page, string id) => page.Locator($".drawflow-node[data-flow-id='{id}']");

    private static Task ConnectAsync(IPage page, string from, int output, string to) =>
        Block(page, from).Locator($".outputs .output_{output}").DragToAsync(Block(page, to).Locator(".inputs .input_1"));

    private static Task DropAsync(IPage page, string type, float x, float y) =>
        page.Locator($"[data-block-type='{type}']").DragToAsync(page.Locator(".flow-canvas"), new() { TargetPosition = new TargetPosition { X = x, Y = y } });

    private static ILocator Status(IPage page) => page.GetByTestId("save-status");

    [Fact]
    public async Task Flow_BuiltWithTheMouse_ValidatedPublishedAndRunsForVisitors()
    {
        var botId = await CreateBotAsync("Lead shop");
        await using var context = await _fixture.Browser.NewContextAsync(Wide);
        var page = await OpenFlowAsync(context, botId);

        // A message added from the palette starts the flow; its text is previewed as Markdown.
        await page.GetByRole(AriaRole.Button, new() { Name = "Message", Exact = true }).ClickAsync();
        await Expect(Block(page, "message_1")).ToContainTextAsync("start");
        await page.GetByLabel("Text (Markdown)", new() { Exact = true }).FillAsync("Hi! Leave your **email** and we write back.");
        await page.GetByLabel("Text (Markdown)", new() { Exact = true }).PressAsync("Tab");
        await Expect(page.GetByTestId("markdown-preview").Locator("strong")).ToHaveTextAsync("email");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");

        // A block dragged in but not wired cannot be reached: the server says so and the canvas marks it.
        await DropAsync(page, "ask", 40, 40);
        await Expect(Block(page, "ask_1")).ToHaveClassAsync(new Regex("has-errors"));
        await Expect(page.GetByTestId("problems")).ToContainTextAsync("cannot be reached from the start block");
        await Expect(Status(page)).ToContainTextAsync("Not saved yet: 1 problem(s)");
        await Axe.AssertNoSeriousViolationsAsync(page, "flow builder");

        await ConnectAsync(page, "message_1", 1, "ask_1");
        await Expect(Block(page, "ask_1")).Not.ToHaveClassAsync(new Regex("has-errors"));
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");

        await Block(page, "ask_1").Locator(".flow-block__title").ClickAsync();
        await Expect(page.GetByTestId("selected-block")).ToHaveTextAsync("Ask: ask_1");
        await page.GetByLabel("Question", new() { Exact = true }).FillAsync("Which email should we write to?");
        await page.GetByLabel("Question", new() { Exact = true }).PressAsync("Tab");
        await Expect(Block(page, "ask_1")).ToContainTextAsync("Which email should we write to?");

        await DropAsync(page, "capture_lead", 40, 560);
        await DropAsync(page, "end", 520, 560);
        await ConnectAsync(page, "ask_1", 1, "capture_lead_1");
        await ConnectAsync(page, "capture_lead_1", 1, "end_1");
        // A port leads to one block: a second wire from the message's port is refused as it is drawn.
        await ConnectAsync(page, "message_1", 1, "end_1");
        await Expect(page.GetByTestId("refused")).ToContainTextAsync("already leads to a block");
        await Expect(page.Locator(".drawflow-node.has-errors")).ToHaveCountAsync(0);
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");

        // The draft runs in the test panel before it is published: the waiting block is marked, no lead is saved.
        await page.GetByRole(AriaRole.Button, new() { Name = "Start test run" }).ClickAsync();
        await Expect(page.GetByTestId("test-run")).ToContainTextAsync("Which email should we write to?");
        await Expect(Block(page, "ask_1")).ToHaveClassAsync(new Regex("is-active"));
        await page.GetByLabel("Your test message").FillAsync("tester@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.GetByTestId("test-run")).ToContainTextAsync("Thank you!");
        await Expect(page.GetByTestId("test-run")).ToContainTextAsync("A lead would be captured (email tester@example.com)");
        await Expect(page.Locator(".drawflow-node.is-active")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "Publish" }).ClickAsync();
        await Expect(page.GetByTestId("live-version")).ToHaveTextAsync("Live: version 1");
        await Expect(page.GetByTestId("versions")).ToContainTextAsync("Version 1");

        // The published flow runs for a visitor: the opening messages, the validated email, the lead it captured.
        using var api = Api();
        var started = await (await api.PostAsJsonAsync("/v1/conversations", new JsonObject { ["bot_id"] = botId })).Content.ReadFromJsonAsync<JsonObject>();
        var opening = started!["messages"]!.AsArray().Select(m => (string)m!["text"]!).ToList();
        Assert.Equal(["Hi! Leave your **email** and we write back.", "Which email should we write to?"], opening);
        var conversationId = (string)started["conversation"]!["id"]!;
        var refused = await (await api.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages", new JsonObject { ["text"] = "not an email" })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.DoesNotContain("Thank you!", refused!["messages"]!.AsArray().Select(m => (string)m!["text"]!));
        var reply = await (await api.PostAsJsonAsync($"/v1/conversations/{conversationId}/messages", new JsonObject { ["text"] = "Ada@Example.com" })).Content.ReadFromJsonAsync<JsonObject>();
        Assert.Contains("Thank you!", reply!["messages"]!.AsArray().Select(m => (string)m!["text"]!));
        var leads = await api.GetFromJsonAsync<JsonObject>("/v1/leads");
        // The ask block normalised the address (domain in lower case) before the lead was captured.
        Assert.Contains(leads!["data"]!.AsArray(), l => (string?)l!["conversation_id"] == conversationId && (string?)l["fields"]!["email"] == "Ada@example.com");
        Assert.DoesNotContain(leads["data"]!.AsArray(), l => (string?)l!["fields"]!["email"] == "tester@example.com");

        // After a change, comparing the live version with the draft lists it and marks the block on the canvas.
        await Block(page, "end_1").Locator(".flow-block__title").ClickAsync();
        await page.GetByLabel("Last text", new() { Exact = true }).FillAsync("Thanks, we write soon!");
        await page.GetByLabel("Last text", new() { Exact = true }).PressAsync("Tab");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare version 1 with the draft" }).ClickAsync();
        await Expect(page.GetByTestId("diff")).ToContainTextAsync("Changed end_1: text");
        await Expect(Block(page, "end_1")).ToHaveClassAsync(new Regex("is-changed"));
        await Axe.AssertNoSeriousViolationsAsync(page, "flow builder, published, tested and compared");
        await Dashboard.ScreenshotAsync(page, "11-flow-builder");
    }

    [Fact]
    public async Task Flow_EditedByKeyboard_UndoRedoAndCopyPasteKeepWires()
    {
        var botId = await CreateBotAsync("Undo shop");
        await using var context = await _fixture.Browser.NewContextAsync(Wide);
        var page = await OpenFlowAsync(context, botId);

        // "A" opens the palette to add a block; Enter on the focused first type adds a message.
        await page.Locator(".flow-canvas").ClickAsync(new() { Position = new Position { X = 300, Y = 200 } });
        await page.Keyboard.PressAsync("a");
        await Expect(page.GetByTestId("adding")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Message", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(Block(page, "message_1")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ask", Exact = true }).ClickAsync();
        await ConnectAsync(page, "message_1", 1, "ask_1");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");

        // Undo takes the wire away (the ask is unreachable again, and the server keeps the wired draft); redo puts it back.
        await page.Locator(".flow-canvas").ClickAsync(new() { Position = new Position { X = 5, Y = 5 } });
        await page.Keyboard.PressAsync("Control+z");
        await Expect(Block(page, "ask_1")).ToHaveClassAsync(new Regex("has-errors"));
        await Expect(page.Locator(".flow-canvas .connection")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Redo" }).ClickAsync();
        await Expect(page.Locator(".flow-canvas .connection")).ToHaveCountAsync(1);
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        await Expect(Block(page, "ask_1")).Not.ToHaveClassAsync(new Regex("has-errors"));

        // Copy two blocks (one selected, one picked with Shift) and paste: new ids, the wire between them kept.
        await Block(page, "message_1").Locator(".flow-block__title").ClickAsync();
        await Block(page, "ask_1").Locator(".flow-block__title").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await page.Keyboard.PressAsync("Control+c");
        await Expect(Status(page)).ToHaveTextAsync("Copied 2 block(s).");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(Block(page, "message_2")).ToBeVisibleAsync();
        await Expect(Block(page, "ask_2")).ToHaveClassAsync(new Regex("is-picked"));
        await Expect(page.Locator(".flow-canvas .connection")).ToHaveCountAsync(2);
        await Expect(page.Locator($".flow-canvas .connection.node_out_node-{await DrawflowIdAsync(page, "message_2")}.node_in_node-{await DrawflowIdAsync(page, "ask_2")}")).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Undo" })).ToHaveAttributeAsync("aria-keyshortcuts", "Control+Z");

        // Undoing the paste leaves the two original blocks, saved as they were.
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(page.Locator(".flow-canvas .drawflow-node")).ToHaveCountAsync(2);
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        using var api = Api();
        var draft = await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/flow");
        Assert.Equal(["message_1", "ask_1"], draft!["draft"]!["nodes"]!.AsArray().Select(n => (string)n!["id"]!));
        Assert.Single(draft["draft"]!["edges"]!.AsArray());

        // The list view shows the flow in order and edits it without the canvas: select a block, lead a port elsewhere.
        await page.GetByRole(AriaRole.Button, new() { Name = "List view" }).ClickAsync();
        var list = page.GetByTestId("block-list");
        await Expect(list.Locator("> ol > li")).ToHaveCountAsync(2);
        await Expect(list.Locator("> ol > li").First).ToContainTextAsync("Message: message_1 (start)");
        await list.GetByRole(AriaRole.Button, new() { Name = "Ask: ask_1" }).ClickAsync();
        await Expect(page.GetByTestId("selected-block")).ToHaveTextAsync("Ask: ask_1");
        await list.GetByLabel("next leads to").First.SelectOptionAsync("");
        await Expect(Block(page, "ask_1")).ToHaveClassAsync(new Regex("has-errors"));
        await Expect(list).ToContainTextAsync("cannot be reached from the start block");
        await list.GetByLabel("next leads to").First.SelectOptionAsync("ask_1");
        await Expect(Block(page, "ask_1")).Not.ToHaveClassAsync(new Regex("has-errors"));
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        await Axe.AssertNoSeriousViolationsAsync(page, "flow builder, list view");
    }

    [Fact]
    public async Task Notes_AddedTypedAndDeleted_SavedWithTheDraftAndUndone()
    {
        var botId = await CreateBotAsync("Sticky shop");
        await using var context = await _fixture.Browser.NewContextAsync(Wide);
        var page = await OpenFlowAsync(context, botId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Message", Exact = true }).ClickAsync();
        await page.GetByLabel("Text (Markdown)", new() { Exact = true }).FillAsync("Our prices");
        await page.GetByLabel("Text (Markdown)", new() { Exact = true }).PressAsync("Tab");

        // A note added from the palette is selected; its text is typed in the side panel and shown on the canvas.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sticky note" }).ClickAsync();
        await Expect(page.GetByTestId("selected-note")).ToHaveTextAsync("Sticky note: note_1");
        await page.GetByLabel("Note text").FillAsync("ask Sam before changing prices");
        await page.GetByLabel("Note text").PressAsync("Tab");
        await Expect(Block(page, "note_1")).ToContainTextAsync("ask Sam before changing prices");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");

        // The autosave kept it: it is in the draft and back on the canvas after a reload, and in the list view.
        using var api = Api();
        var draft = await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/flow");
        var note = Assert.Single(draft!["draft"]!["notes"]!.AsArray())!;
        Assert.Equal(("note_1", "ask Sam before changing prices"), ((string?)note["id"], (string?)note["text"]));
        await page.ReloadAsync();
        await Expect(Block(page, "note_1")).ToContainTextAsync("ask Sam before changing prices");
        await page.GetByRole(AriaRole.Button, new() { Name = "List view" }).ClickAsync();
        await Expect(page.GetByTestId("note-list")).ToContainTextAsync("ask Sam before changing prices");
        await Axe.AssertNoSeriousViolationsAsync(page, "flow builder, sticky note");

        // Deleting the note is one step that undo takes back.
        await page.GetByTestId("note-list").GetByRole(AriaRole.Button, new() { Name = "Note: note_1" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete note" }).ClickAsync();
        await ConfirmAsync(page, "Delete this sticky note? Undo brings it back.", "Delete");
        await Expect(Block(page, "note_1")).ToHaveCountAsync(0);
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(Block(page, "note_1")).ToContainTextAsync("ask Sam before changing prices");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        draft = await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/flow");
        Assert.Single(draft!["draft"]!["notes"]!.AsArray());
    }

    [Fact]
    public async Task Blocks_PickedTogether_DraggedAndNudgedAsOneStep()
    {
        var botId = await CreateBotAsync("Tidy shop");
        await using var context = await _fixture.Browser.NewContextAsync(Wide);
        var page = await OpenFlowAsync(context, botId);
        await DropAsync(page, "message", 60, 60);
        await DropAsync(page, "end", 60, 400);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sticky note" }).ClickAsync();
        await Expect(Status(page)).ToContainTextAsync("Not saved yet");
        await ConnectAsync(page, "message_1", 1, "end_1");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        var before = await PositionsAsync(botId);

        // Drag the message while the end block is picked with it: both move by the same offset, the note stays.
        await Block(page, "message_1").Locator(".flow-block__title").ClickAsync();
        await Block(page, "end_1").Locator(".flow-block__title").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        var box = (await Block(page, "message_1").Locator(".flow-block__title").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + box.Width / 2 + 120, box.Y + box.Height / 2 + 80, new() { Steps = 6 });
        await page.Mouse.UpAsync();
        // The move reaches .NET after the mouse is up: wait for the autosave to hold it, not for a status already shown.
        await Eventually.EqualAsync(true, async () => (await PositionsAsync(botId))["message_1"] != before["message_1"]);
        var dragged = await PositionsAsync(botId);
        var (dx, dy) = (dragged["message_1"].X - before["message_1"].X, dragged["message_1"].Y - before["message_1"].Y);
        Assert.InRange(dx, 100, 140);
        Assert.InRange(dy, 60, 100);
        Assert.InRange(dragged["end_1"].X - before["end_1"].X, dx - 1, dx + 1);
        Assert.InRange(dragged["end_1"].Y - before["end_1"].Y, dy - 1, dy + 1);
        Assert.Equal(before["note_1"], dragged["note_1"]);

        // An arrow key moves the picked set by a grid step; one undo takes the whole move back.
        await page.Keyboard.PressAsync("ArrowRight");
        var both = async () => { var at = await PositionsAsync(botId); return (at["message_1"], at["end_1"], at["note_1"]); };
        await Eventually.EqualAsync(
            ((dragged["message_1"].X + 20, dragged["message_1"].Y), (dragged["end_1"].X + 20, dragged["end_1"].Y), dragged["note_1"]), both);
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Eventually.EqualAsync((dragged["message_1"], dragged["end_1"], dragged["note_1"]), both);
    }

    [Fact]
    public async Task PickedBlocksAndNote_CopiedAndPasted_DeletedOnlyAfterAsking()
    {
        var botId = await CreateBotAsync("Careful shop");
        await using var context = await _fixture.Browser.NewContextAsync(Wide);
        var page = await OpenFlowAsync(context, botId);
        await DropAsync(page, "message", 60, 60);
        await DropAsync(page, "end", 60, 400);
        await ConnectAsync(page, "message_1", 1, "end_1");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sticky note" }).ClickAsync();
        await page.GetByLabel("Note text").FillAsync("check the wording");
        await page.GetByLabel("Note text").PressAsync("Tab");
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");

        // The end block and the note picked together are copied and pasted, the note with its text.
        await Block(page, "end_1").Locator(".flow-block__title").ClickAsync();
        await Block(page, "note_1").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await page.Keyboard.PressAsync("Control+c");
        await Expect(Status(page)).ToHaveTextAsync("Copied 1 block(s) and 1 note(s).");
        await page.Keyboard.PressAsync("Control+v");
        await Expect(Block(page, "end_2")).ToBeVisibleAsync();
        await Expect(Block(page, "note_2")).ToContainTextAsync("check the wording");
        await Expect(Status(page)).ToContainTextAsync("1 problem(s)");

        // Delete asks first, naming what goes; Cancel keeps everything.
        await page.Locator(".flow-canvas").ClickAsync(new() { Position = new Position { X = 5, Y = 5 } });
        await Block(page, "end_2").Locator(".flow-block__title").ClickAsync();
        await Block(page, "note_2").ClickAsync(new() { Modifiers = [KeyboardModifier.Shift] });
        await page.Keyboard.PressAsync("Delete");
        await ConfirmAsync(page, "Delete 1 block and 1 sticky note? Undo brings them back.", "Cancel");
        await Expect(Block(page, "end_2")).ToBeVisibleAsync();
        await Expect(Block(page, "note_2")).ToBeVisibleAsync();

        // Said yes, both go in one step and the draft is valid and saved again; one undo brings both back.
        await page.Keyboard.PressAsync("Delete");
        await ConfirmAsync(page, "Delete 1 block and 1 sticky note? Undo brings them back.", "Delete");
        await Expect(Block(page, "end_2")).ToHaveCountAsync(0);
        await Expect(Block(page, "note_2")).ToHaveCountAsync(0);
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        Assert.Equal(["end_1", "message_1", "note_1"], (await PositionsAsync(botId)).Keys.Order().ToArray());
        await page.GetByRole(AriaRole.Button, new() { Name = "Undo" }).ClickAsync();
        await Expect(Block(page, "end_2")).ToBeVisibleAsync();
        await Expect(Block(page, "note_2")).ToContainTextAsync("check the wording");
    }

    /// <summary>The builder's question before it deletes: its text, then the answer given.</summary>
    private static async Task ConfirmAsync(IPage page, string question, string answer)
    {
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync(question);
        await dialog.GetByRole(AriaRole.Button, new() { Name = answer, Exact = true }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
    }

    /// <summary>Where the saved draft places each block and note, by id.</summary>
    private async Task<Dictionary<string, (double X, double Y)>> PositionsAsync(string botId)
    {
        using var api = Api();
        var draft = (await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/flow"))!["draft"]!;
        return draft["nodes"]!.AsArray().Select(n => ((string)n!["id"]!, ((double)n["position"]!["x"]!, (double)n["position"]!["y"]!)))
            .Concat((draft["notes"]?.AsArray() ?? []).Select(n => ((string)n!["id"]!, ((double)n["x"]!, (double)n["y"]!))))
            .ToDictionary(p => p.Item1, p => p.Item2);
    }

    private static async Task<string> DrawflowIdAsync(IPage page, string flowId) =>
        (await Block(page, flowId).GetAttributeAsync("id"))!.Replace("node-", "", StringComparison.Ordinal);

    [Fact]
    public async Task Flow_StartedFromATemplateInTheGallery_DraftHoldsItsBlocks()
    {
        var botId = await CreateBotAsync("From a template");
        await using var context = await _fixture.Browser.NewContextAsync(Wide);
        var page = await OpenFlowAsync(context, botId);

        await page.GetByRole(AriaRole.Button, new() { Name = "Start from a template" }).ClickAsync();
        var gallery = page.GetByTestId("template-gallery");
        await Expect(gallery.Locator("[data-template-id]")).ToHaveCountAsync(3);
        await Expect(gallery.GetByRole(AriaRole.Img, new() { Name = "Preview of Appointment booking: 8 blocks" })).ToBeVisibleAsync();
        await Axe.AssertNoSeriousViolationsAsync(page, "flow builder, templates gallery");
        await gallery.GetByRole(AriaRole.Button, new() { Name = "Use this template: Appointment booking" }).ClickAsync();

        await Expect(Block(page, "book")).ToBeVisibleAsync();
        await Expect(Status(page)).ToHaveTextAsync("All changes saved.");
        using var api = Api();
        var draft = await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/flow");
        var types = draft!["draft"]!["nodes"]!.AsArray().Select(n => (string)n!["type"]!).ToList();
        Assert.Equal(8, types.Count);
        Assert.Contains("book_appointment", types);
        Assert.Equal("Olivia Owner", (string?)draft["draft_updated_by"]);
    }

    [Fact]
    public async Task Draft_EditedInTwoBrowsers_SecondSaveRefusedWithClearMessage()
    {
        var botId = await CreateBotAsync("Two editors");
        await using var first = await _fixture.Browser.NewContextAsync(Wide);
        await using var second = await _fixture.Browser.NewContextAsync(Wide);
        var alice = await OpenFlowAsync(first, botId);
        await alice.GetByRole(AriaRole.Button, new() { Name = "End", Exact = true }).ClickAsync();
        await Expect(Status(alice)).ToHaveTextAsync("All changes saved.");
        var bob = await OpenFlowAsync(second, botId);
        await Expect(Block(bob, "end_1")).ToBeVisibleAsync();

        await Block(alice, "end_1").Locator(".flow-block__title").ClickAsync();
        await alice.GetByLabel("Last text", new() { Exact = true }).FillAsync("Alice was here");
        await alice.GetByLabel("Last text", new() { Exact = true }).PressAsync("Tab");
        await Expect(Status(alice)).ToHaveTextAsync("All changes saved.");

        await Block(bob, "end_1").Locator(".flow-block__title").ClickAsync();
        await bob.GetByLabel("Last text", new() { Exact = true }).FillAsync("Bob was here");
        await bob.GetByLabel("Last text", new() { Exact = true }).PressAsync("Tab");
        // The message names who saved meanwhile (both browsers are the owner here; the API test uses two callers).
        await Expect(bob.GetByTestId("conflict")).ToContainTextAsync("Olivia Owner changed this draft at");
        using var api = Api();
        var draft = await api.GetFromJsonAsync<JsonObject>($"/v1/bots/{botId}/flow");
        Assert.Equal("Alice was here", (string?)draft!["draft"]!["nodes"]![0]!["settings"]!["text"]);

        await bob.GetByRole(AriaRole.Button, new() { Name = "Load their version" }).ClickAsync();
        await Expect(Block(bob, "end_1")).ToContainTextAsync("Alice was here");
        await Expect(bob.GetByTestId("conflict")).ToHaveCountAsync(0);
    }
}
