using System.Text;
using Parley.Server.Infrastructure.Errors;
using static Parley.Server.Features.Knowledge.KnowledgeSourceKinds;

namespace Parley.Server.Features.Knowledge;

/// <summary>
/// Reads an uploaded file (multipart field <c>file</c>, optional <c>title</c>): its type comes from its extension or
/// content type, and its text is extracted before anything is stored, so an unreadable file changes nothing.
/// </summary>
public static class KnowledgeUpload
{
    public static async Task<KnowledgeInput> ReadAsync(HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        var file = form.Files.GetFile("file") ?? throw ApiException.Invalid("file", "Upload the document as the multipart field 'file'.");
        if (file.Length == 0)
        {
            throw ApiException.Invalid("file", "The uploaded file is empty.");
        }
        if (file.Length > maxBytes)
        {
            throw new ApiException(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"The file is {file.Length / 1024} KB; the limit is {maxBytes / 1024} KB.");
        }
        var type = TypeOf(file.FileName, file.ContentType) ?? throw new ApiException(
            StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType,
            "Upload a PDF, HTML, Markdown or plain text file (.pdf, .html, .htm, .md, .markdown, .txt).");
        var title = form["title"].ToString().Trim();
        if (title.Length > KnowledgeInput.MaxTitleLength)
        {
            throw ApiException.Invalid("title", $"title may be at most {KnowledgeInput.MaxTitleLength} characters long.");
        }
        if (title.Length == 0)
        {
            title = Path.GetFileNameWithoutExtension(file.FileName) is { Length: > 0 } name ? name : "Untitled document";
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, cancellationToken);
        var bytes = buffer.ToArray();
        string content;
        try
        {
            content = type == Pdf ? KnowledgeIngestion.ReadPdf(bytes) : new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw ApiException.Invalid("file", "The file is not valid UTF-8 text.");
        }
        catch (KnowledgeSourceException ex)
        {
            throw ApiException.Invalid("file", ex.Message);
        }
        if (type == Html && form["title"].ToString().Trim().Length == 0 && HtmlText.Extract(content).Title is { Length: > 0 } htmlTitle)
        {
            title = htmlTitle.Length > KnowledgeInput.MaxTitleLength ? htmlTitle[..KnowledgeInput.MaxTitleLength] : htmlTitle;
        }
        return new KnowledgeInput(type, title, null, content, bytes.Length, KnowledgeIngestion.Blocks(type, content));
    }

    private static string? TypeOf(string fileName, string? contentType) =>
        Path.GetExtension(fileName).ToLowerInvariant() switch
        {
            ".pdf" => Pdf,
            ".html" or ".htm" => Html,
            ".md" or ".markdown" => Markdown,
            ".txt" => Text,
            _ => contentType?.Split(';')[0].Trim().ToLowerInvariant() switch
            {
                "application/pdf" => Pdf,
                "text/html" => Html,
                "text/markdown" => Markdown,
                "text/plain" => Text,
                _ => null,
            },
        };
}
