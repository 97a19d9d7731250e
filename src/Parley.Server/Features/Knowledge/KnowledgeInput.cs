using System.Text;
using Parley.Engine.Knowledge;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Outbound;
using static Parley.Server.Features.Knowledge.KnowledgeSourceKinds;

namespace Parley.Server.Features.Knowledge;

/// <summary>A validated new knowledge source: what it is, and its structure when its text is already at hand.</summary>
public sealed record KnowledgeInput(string Type, string Title, string? Url, string? Content, long ContentLength, IReadOnlyList<DocumentBlock> Blocks)
{
    public const int MaxTitleLength = 300;

    /// <summary>Validates a JSON source; every problem is reported at once as a 400 with one entry per field.</summary>
    public static KnowledgeInput FromJson(AddKnowledgeSourceRequest body, int maxBytes, bool allowPrivate)
    {
        var errors = new Dictionary<string, string[]>();
        var type = body.Type?.Trim().ToLowerInvariant();
        if (type is not (Text or Markdown or Html or KnowledgeSourceKinds.Url))
        {
            errors["type"] = ["type must be text, markdown, html or url (upload a PDF as multipart/form-data)."];
        }
        if (body.Title is { Length: > MaxTitleLength })
        {
            errors["title"] = [$"title may be at most {MaxTitleLength} characters long."];
        }
        string? url = null;
        if (type == KnowledgeSourceKinds.Url)
        {
            url = body.Url?.Trim();
            if (string.IsNullOrEmpty(url))
            {
                errors["url"] = ["url is required for a url source."];
            }
            else if (OutboundAddressPolicy.Problem(url, allowPrivate) is { } problem)
            {
                errors["url"] = [$"url {problem}."];
            }
        }
        else if (type is Text or Markdown or Html)
        {
            if (string.IsNullOrWhiteSpace(body.Content))
            {
                errors["content"] = ["content is required for a text, markdown or html source."];
            }
            else if (Encoding.UTF8.GetByteCount(body.Content) > maxBytes)
            {
                errors["content"] = [$"content may be at most {maxBytes / 1024} KB."];
            }
            if (type is Text or Markdown && string.IsNullOrWhiteSpace(body.Title))
            {
                errors["title"] = ["title is required for a text or markdown source."];
            }
        }
        if (errors.Count > 0)
        {
            throw ApiException.Invalid(errors);
        }

        if (type == KnowledgeSourceKinds.Url)
        {
            return new KnowledgeInput(KnowledgeSourceKinds.Url, CleanTitle(body.Title) ?? url!, url, null, 0, []);
        }
        var content = body.Content!;
        var title = CleanTitle(body.Title);
        IReadOnlyList<DocumentBlock> blocks;
        if (type == Html)
        {
            var extracted = HtmlText.Extract(content);
            blocks = extracted.Blocks;
            title ??= CleanTitle(extracted.Title) ?? throw ApiException.Invalid("title", "title is required when the HTML has no <title>.");
        }
        else
        {
            blocks = MarkdownBlocks.Parse(content);
        }
        return new KnowledgeInput(type!, title!, null, content, Encoding.UTF8.GetByteCount(content), blocks);
    }

    private static string? CleanTitle(string? title) =>
        string.IsNullOrWhiteSpace(title) ? null : title.Trim() is var t && t.Length > MaxTitleLength ? t[..MaxTitleLength] : title.Trim();
}
