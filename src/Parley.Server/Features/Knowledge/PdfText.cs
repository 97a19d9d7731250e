using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Parley.Server.Features.Knowledge;

/// <summary>The text of a PDF, page by page, with paragraphs separated by blank lines.</summary>
public static class PdfText
{
    public static string Extract(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            var pageText = ContentOrderTextExtractor.GetText(page);
            // Lines of one paragraph are joined; an empty line stays a paragraph break.
            foreach (var paragraph in pageText.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n"))
            {
                var joined = string.Join(' ', paragraph.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
                if (joined.Length > 0)
                {
                    text.Append(joined).Append("\n\n");
                }
            }
        }
        return text.ToString().TrimEnd();
    }
}
