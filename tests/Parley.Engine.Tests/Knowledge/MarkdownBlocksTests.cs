using Parley.Engine.Knowledge;

namespace Parley.Engine.Tests.Knowledge;

public sealed class MarkdownBlocksTests
{
    private static DocumentBlock H(int level, string text) => DocumentBlock.Heading(level, text);

    private static DocumentBlock P(string text) => DocumentBlock.Paragraph(text);

    [Fact]
    public void Parse_HeadingsOfEachLevel_KeepLevelAndTextWithoutClosingHashes() =>
        Assert.Equal([H(1, "Shop"), H(2, "Hours"), H(6, "Small print"), H(3, "Indented")],
            MarkdownBlocks.Parse("# Shop\n## Hours ##\n###### Small print\n   ### Indented"));

    [Theory]
    [InlineData("####### Seven hashes")]
    [InlineData("#NoSpace")]
    [InlineData("    # Four spaces make code")]
    public void Parse_LineThatIsNotAHeading_IsParagraphText(string line)
    {
        var block = Assert.Single(MarkdownBlocks.Parse(line));
        Assert.False(block.IsHeading);
        Assert.Equal(line.Trim(), block.Text);
    }

    [Fact]
    public void Parse_LinesSeparatedByBlankLines_OneParagraphEach() =>
        Assert.Equal([P("We open at nine and close at five."), P("Parking is free.")],
            MarkdownBlocks.Parse("We open at nine\nand close at five.\n\n   \nParking is free.\n"));

    [Fact]
    public void Parse_WindowsLineEnds_ReadLikeUnixOnes() =>
        Assert.Equal([H(1, "Hours"), P("Open at nine."), P("Closed on Sunday.")],
            MarkdownBlocks.Parse("# Hours\r\nOpen at nine.\r\n\r\nClosed on Sunday."));

    [Fact]
    public void Parse_ListAfterAParagraph_EachItemReadsAsASentence() =>
        Assert.Equal([P("Services: Cuts. Colour! Styling? Beards; Perms")],
            MarkdownBlocks.Parse("Services:\n- Cuts\n* Colour!\n+ Styling?\n1. Beards;\n2) Perms"));

    [Fact]
    public void Parse_ListOnItsOwn_ItemsWithoutMarkers() =>
        Assert.Equal([P("Cuts. Colour.")], MarkdownBlocks.Parse("- Cuts\n- Colour."));

    [Fact]
    public void Parse_FencedCode_KeptAsTextWithoutFencesOrHeadings() =>
        Assert.Equal([P("Intro."), P("# not a heading run it")],
            MarkdownBlocks.Parse("Intro.\n\n```\n# not a heading\n- run it\n```"));

    [Fact]
    public void Parse_FenceRightAfterAParagraphLine_FenceAndItsLanguageAddNoText() =>
        Assert.Equal([P("Install: npm start")], MarkdownBlocks.Parse("Install:\n```bash\nnpm start\n```"));

    [Fact]
    public void Parse_ThematicBreakBeforeAList_AddsNoText() =>
        Assert.Equal([P("Cuts. Colour")], MarkdownBlocks.Parse("***\n- Cuts\n- Colour"));

    [Theory]
    [InlineData("See [our prices](https://example.com/prices) first.", "See our prices first.")]
    [InlineData("![Logo](logo.png) Acme", "Logo Acme")]
    [InlineData("We are **really** _quick_ with `bikes`.", "We are really quick with bikes.")]
    [InlineData("Use snake_case and 2 * 3 here.", "Use snake_case and 2 * 3 here.")]
    [InlineData("## **Bold** heading", "Bold heading")]
    public void Parse_InlineMarkup_ReducedToItsText(string markdown, string text) =>
        Assert.Equal(text, Assert.Single(MarkdownBlocks.Parse(markdown)).Text);

    [Fact]
    public void Parse_Empty_NoBlocks() => Assert.Empty(MarkdownBlocks.Parse("\n\n  \n"));

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 3)]
    [InlineData(9, 6)]
    public void Heading_LevelOutsideOneToSix_Clamped(int level, int expected)
    {
        Assert.Equal(expected, DocumentBlock.Heading(level, "x").HeadingLevel);
        Assert.True(DocumentBlock.Heading(level, "x").IsHeading);
        Assert.False(DocumentBlock.Paragraph("x").IsHeading);
    }
}
