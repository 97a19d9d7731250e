using System.Text;
using Parley.Engine.Imports;
using Parley.Engine.Imports.Typebot;

namespace Parley.Engine.Tests.Imports.Typebot;

public sealed class TypebotResultsCsvTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);

    private static TypebotResults Read(string csv) => TypebotResultsCsv.Read(Encoding.UTF8.GetBytes(csv), Now);

    [Fact]
    public void IsResultsExport_CsvOrFlowJson_TellsThemApart()
    {
        Assert.True(TypebotResultsCsv.IsResultsExport("\uFEFFSubmitted at,Name\r\n"u8));
        Assert.True(TypebotResultsCsv.IsResultsExport(TypebotFlowImportTests.Fixture("lead-generation-results.csv")));
        Assert.False(TypebotResultsCsv.IsResultsExport(TypebotFlowImportTests.Fixture("lead-generation-v6.1.json")));
    }

    [Fact]
    public void Read_TimeWithoutYear_ThisYearUnlessThatIsStillToCome()
    {
        var rows = Read("Submitted at,Name\n\"Mar 9, 09:15 AM\",Ada\n\"Dec 24, 06:00 PM\",Bea\nsoon,Cy\n").Rows;

        Assert.Equal(
            [new DateTimeOffset(2026, 3, 9, 9, 15, 0, TimeSpan.Zero), new DateTimeOffset(2025, 12, 24, 18, 0, 0, TimeSpan.Zero), Now],
            rows.Select(r => r.Conversation.Messages[0].At));
    }

    [Fact]
    public void Read_QuotedFieldsAndFormulaGuards_AnswersAsTyped()
    {
        var row = Assert.Single(Read("Submitted at,Question,Phone\r\n\"Nov 2, 2025, 10:00 AM\",\"Hi, \"\"you\"\"\nthere\",'+33 1 23 45 67 89\r\n").Rows);

        Assert.Equal(["Question", "Hi, \"you\"\nthere", "Phone", "+33 1 23 45 67 89"], row.Conversation.Messages.Select(m => m.Text));
        Assert.Equal([ImportedRole.Bot, ImportedRole.User], row.Conversation.Messages.Take(2).Select(m => m.Role));
        Assert.Null(row.Lead);
    }

    [Fact]
    public void Read_EmailInAnyColumn_LeadWithNamePhoneAndTheRestAsCustom()
    {
        var row = Assert.Single(Read("Submitted at,Your name,Contact,Mobile,Budget,utm_source\n\"Mar 1, 10:00 AM\",Ada,ada@acme.example,+44 20 7946 0000,Big,ads\n").Rows);

        Assert.Equal(new ImportedLead("ada@acme.example", "Ada", "+44 20 7946 0000", null, new Dictionary<string, string> { ["Budget"] = "Big" }),
            row.Lead! with { Custom = new Dictionary<string, string>(row.Lead!.Custom) }, new LeadComparer());
        Assert.Equal("ads", row.Conversation.Utm["utm_source"]);
        Assert.DoesNotContain(row.Conversation.Messages, m => m.Text == "utm_source");
    }

    [Theory]
    [InlineData("Name,Submitted at\nAda,\"Mar 1, 10:00 AM\"\n", "first column")]
    [InlineData("Submitted at,Name\n\"Mar 1, 10:00 AM,Ada\n", "never ends")]
    [InlineData("Submitted at,Name\nMar 1,Ada,extra\n", "Line 2 has 3 fields")]
    public void Read_MalformedFile_RefusedWithWhere(string csv, string reason)
    {
        var e = Assert.Throws<ImportFileException>(() => Read(csv));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    private sealed class LeadComparer : IEqualityComparer<ImportedLead>
    {
        public bool Equals(ImportedLead? x, ImportedLead? y) =>
            x is not null && y is not null && (x.Email, x.Name, x.Phone, x.Company) == (y.Email, y.Name, y.Phone, y.Company)
            && x.Custom.OrderBy(p => p.Key).SequenceEqual(y.Custom.OrderBy(p => p.Key));

        public int GetHashCode(ImportedLead obj) => obj.Email.GetHashCode(StringComparison.Ordinal);
    }
}
