using Parley.Engine.Flows;
using Parley.Engine.Imports;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotUnsupportedBlocksTests
{
    [Theory]
    [InlineData("Wait", "Parley does not pause between messages; the flow goes straight on.")]
    [InlineData("Code", "Custom JavaScript does not run in Parley")]
    [InlineData("webhook", "Waiting for an incoming webhook has no Parley block")]
    [InlineData("Google Sheets", "Google Sheets has no Parley block")]
    [InlineData("Email", "Sending email from the flow has no Parley block")]
    [InlineData("Google Analytics", "Tracking scripts do not run")]
    [InlineData("Pixel", "Tracking scripts do not run")]
    [InlineData("file input", "A file input has no Parley block, so the visitor is not asked for it.")]
    [InlineData("payment input", "A payment input has no Parley block")]
    [InlineData("cards", "A cards has no Parley block")]
    [InlineData("Zendesk", "The block type 'Zendesk' has no Parley equivalent.")]
    public void Map_BlockWithoutParleyEquivalent_NotCarriedWithTheReasonAndTheFlowGoesOn(string type, string reason)
    {
        var export = TypebotExport.Map($$"""{ "id": "x", "type": "{{type}}", "options": {} }, """ + TypebotExport.Text("next", "Next"));

        Assert.Equal(ImportOutcome.NotCarried, export.Block("x").Outcome);
        Assert.StartsWith(reason, export.Block("x").Note);
        Assert.Empty(export.Block("x").Nodes);
        Assert.Equal("next", export.Graph.Start);
    }

    [Fact]
    public void Map_Chatwoot_OpeningBecomesAHandoffClosingIsNotCarried()
    {
        var export = TypebotExport.Map("""
            { "id": "close", "type": "Chatwoot", "options": { "task": "Close widget" } },
            { "id": "open", "type": "Chatwoot", "options": { "task": "Show widget" } }
            """);

        Assert.Equal(ImportOutcome.NotCarried, export.Block("close").Outcome);
        Assert.Equal("open", export.Graph.Start);
        Assert.Equal(FlowBlocks.Handoff, export.Node("open").Type);
        Assert.Equal(("Let me connect you with someone from the team.", "chatwoot"), (export.Setting("open", "text"), export.Setting("open", "reason")));
        Assert.Equal(ImportOutcome.Approximate, export.Block("open").Outcome);
    }
}
