using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Widget;

/// <summary>What the demo page shows: the demo bot, its publishable key, and whether this page's origin may use it.</summary>
public sealed record DemoBot(string Name, string PublishableKey, IReadOnlyList<string> AllowedOrigins, bool OriginAllowed);

/// <summary>
/// The HTML of the demo page. Every value is HTML-encoded; the page runs under the strict Content-Security-Policy it
/// recommends to businesses (no inline script, its one inline style allowed by hash), which proves the widget needs no more.
/// </summary>
public static class DemoPage
{
    private const string Style = """
        :root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2330;background:#f6f7fb}
        body{margin:0}
        main{max-width:760px;margin:0 auto;padding:56px 24px 120px}
        .tag{display:inline-block;padding:4px 10px;border-radius:999px;background:#e0e7ff;color:#3730a3;font-size:13px;font-weight:600}
        h1{font-size:34px;margin:14px 0 8px}
        p{line-height:1.6;color:#3f4555}
        section{background:#fff;border:1px solid #e6e8ef;border-radius:14px;padding:20px 22px;margin:22px 0}
        h2{font-size:18px;margin:0 0 8px}
        pre{background:#111827;color:#e5e7eb;padding:14px 16px;border-radius:10px;overflow-x:auto;font-size:13px}
        code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
        .warn{background:#fff7e6;border-color:#f5deb0}
        a{color:#4338ca}
        """;

    /// <summary>The page's policy, and a fair starting point for a site that embeds the widget from its own Parley host.</summary>
    public static readonly string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; img-src 'self' https: data:; "
        + $"style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; "
        + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static string Render(DemoBot? bot, string origin, string widgetPath)
    {
        var e = HtmlEncoder.Default;
        var html = new StringBuilder(4096);
        html.Append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Parley is running</title>\n<style>").Append(Style).Append("</style>\n</head>\n<body>\n<main>\n")
            .Append("<span class=\"tag\">Parley</span>\n<h1>Parley is running.</h1>\n");

        if (bot is null)
        {
            html.Append("<p>The demo bot's publishable key (\"").Append(e.Encode(WorkspaceSeeder.DemoKeyName))
                .Append("\") has been revoked or its bot deleted, so there is no live demo here. ")
                .Append("Create a publishable key with <code>POST /v1/api-keys</code> to put a bot on your site.</p>\n");
        }
        else
        {
            html.Append("<p>The chat button in the corner is <strong>").Append(e.Encode(bot.Name))
                .Append("</strong>, the demo bot, talking to this server. Open it and say hello: the conversation is stored ")
                .Append("in your database and visible through the API.</p>\n");
            if (!bot.OriginAllowed)
            {
                html.Append("<section class=\"warn\"><h2>This address is not allowed for the demo key</h2><p>The widget works only from the key's ")
                    .Append("allowed origins, and this page is ").Append(e.Encode(origin)).Append(". Open it at ");
                html.AppendJoin(" or ", bot.AllowedOrigins.Select(o => $"<a href=\"{e.Encode(o)}/\">{e.Encode(o)}</a>"));
                html.Append(", or create a publishable key for this origin.</p></section>\n");
            }
            html.Append("<section><h2>Put it on your site</h2><p>Paste one line before <code>&lt;/body&gt;</code>:</p>\n<pre tabindex=\"0\"><code>")
                .Append(e.Encode($"<script src=\"{origin}/widget.js\" data-key=\"{bot.PublishableKey}\" async></script>"))
                .Append("</code></pre>\n<p>The key is publishable: it only opens chat sessions, and only from its allowed origins.</p></section>\n");
        }

        html.Append("<section><h2>Everything is an API</h2><p>Browse the <a href=\"/docs\">API reference</a> or the ")
            .Append("<a href=\"/openapi/v1.json\">OpenAPI document</a>. Your owner key (<code>sk_…</code>) was written to ")
            .Append("<code>admin-key.txt</code> in the data directory on the first start.</p></section>\n</main>\n");
        if (bot is not null)
        {
            html.Append("<script src=\"").Append(e.Encode(widgetPath)).Append("\" data-key=\"").Append(e.Encode(bot.PublishableKey))
                .Append("\" async></script>\n");
        }
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }
}
