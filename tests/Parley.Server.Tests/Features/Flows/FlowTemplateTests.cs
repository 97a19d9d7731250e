using System.Net;
using System.Text;
using Parley.Dashboard.Features.Bots;
using Parley.Server.Features.Flows;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Flows;

/// <summary>The templates gallery: list, read one, and start a draft from it.</summary>
public sealed class FlowTemplateTests(FlowApp app) : IClassFixture<FlowApp>
{
    [Fact]
    public async Task ListTemplates_EveryTemplateWithNameDescriptionAndAPreviewOfItsGraph()
    {
        var list = await (await app.Client().GetAsync("/v1/flow-templates")).JsonAsync(HttpStatusCode.OK);

        var templates = list["data"]!.AsArray();
        Assert.Equal(["faq_lead_capture", "appointment_booking", "qualify_handoff"], templates.Select(t => t!.Id()));
        foreach (var template in templates.Select(t => t!))
        {
            var graph = await (await app.Client().GetAsync($"/v1/flow-templates/{template.Id()}")).JsonAsync(HttpStatusCode.OK);
            var nodes = graph["flow"]!["nodes"]!.AsArray();
            Assert.False(string.IsNullOrWhiteSpace((string?)template["name"]));
            Assert.False(string.IsNullOrWhiteSpace((string?)template["description"]));
            Assert.Equal(nodes.Count, (int)template["block_count"]!);
            Assert.Equal(
                nodes.Select(n => n!).Select(n => (n.Id(), (string)n["type"]!, (double)n["position"]!["x"]!, (double)n["position"]!["y"]!)),
                template["preview"]!["blocks"]!.AsArray().Select(b => b!).Select(b => (b.Id(), (string)b["type"]!, (double)b["x"]!, (double)b["y"]!)));
            Assert.Contains(nodes, n => (double)n!["position"]!["x"]! != 0);
            Assert.Equal(
                graph["flow"]!["edges"]!.AsArray().Select(e => ((string)e!["from"]!["node"]!, (string)e["to"]!["node"]!)),
                template["preview"]!["edges"]!.AsArray().Select(e => ((string)e!["from"]!, (string)e["to"]!)));
            Assert.Equal((string?)template["name"], (string?)graph["name"]);
        }
    }

    [Fact]
    public void BotTemplates_NewBotDialog_SameTemplatesAndNamesAsTheGallery()
    {
        var offered = BotTemplates.All.Where(t => t.Id is not null).Select(t => (t.Id!, t.Name));

        Assert.Equal(FlowTemplates.Names.Select(id => (id, FlowTemplates.Descriptions[id].Name)), offered);
    }

    [Fact]
    public async Task GetTemplate_SavedAsADraft_TheDraftIsTheTemplate()
    {
        var client = app.Client();
        var botId = await client.CreateBotAsync();
        var template = await (await client.GetAsync("/v1/flow-templates/appointment_booking")).JsonAsync(HttpStatusCode.OK);

        var saved = await client.PutAsync($"/v1/bots/{botId}/flow", new StringContent(template["flow"]!.ToJsonString(), Encoding.UTF8, "application/json"));
        var draft = await saved.JsonAsync(HttpStatusCode.OK);

        Assert.Equal(template["flow"]!["nodes"]!.AsArray().Select(n => n!.Id()), draft["draft"]!["nodes"]!.AsArray().Select(n => n!.Id()));
        Assert.Contains(draft["draft"]!["nodes"]!.AsArray(), n => (string?)n!["type"] == "book_appointment");
    }

    [Fact]
    public async Task GetTemplate_UnknownId_404ProblemNamingIt()
    {
        var problem = await (await app.Client().GetAsync("/v1/flow-templates/no_such_template")).ProblemAsync(HttpStatusCode.NotFound, "not_found");

        Assert.Contains("no_such_template", (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTemplates_WithoutAKey_401()
    {
        await (await app.Client(null).GetAsync("/v1/flow-templates")).ProblemAsync(HttpStatusCode.Unauthorized, "missing_api_key");
    }
}
