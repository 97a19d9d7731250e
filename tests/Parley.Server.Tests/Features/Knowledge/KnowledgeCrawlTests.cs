using System.Net;
using System.Text.Json.Nodes;
using Parley.Server.Tests.Infrastructure;
using static Parley.Server.Tests.Features.Knowledge.KnowledgeSourceTests;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>URL sources that crawl their site, against real local web sites.</summary>
public sealed class KnowledgeCrawlTests(KnowledgeApp app) : IClassFixture<KnowledgeApp>
{
    private static string Page(string title, string body, params string[] links) =>
        $"<html><head><title>{title}</title></head><body><nav>{string.Concat(links.Select(l => $"<a href=\"{l}\">{l}</a> "))}</nav>"
        + $"<main><h1>{title}</h1><p>{body}</p></main></body></html>";

    /// <summary>Home links to A (twice, once with a fragment), B, an e-mail address and another site; A links to C, C to D.</summary>
    private static async Task<(LocalSite Site, LocalSite Elsewhere)> StartSitesAsync()
    {
        var elsewhere = await LocalSite.StartAsync(new Dictionary<string, (string, string)>
        {
            ["/"] = ("text/html", Page("Elsewhere", "Zebras graze on another site entirely.")),
        });
        var site = await LocalSite.StartAsync(new Dictionary<string, (string, string)>
        {
            ["/"] = ("text/html", Page("Home", "Welcome to the bicycle shop.", "/a", "/a#prices", "b", "mailto:shop@example.com", elsewhere.Url("/"), "/logo.png")),
            ["/a"] = ("text/html", Page("Repairs", "Repairs take two working days.", "/c", "/")),
            ["/b"] = ("text/html", Page("Opening hours", "We open at nine on weekdays.")),
            ["/c"] = ("text/html", Page("Warranty", "The warranty on frames lasts five years.", "/d")),
            ["/d"] = ("text/html", Page("Deep", "A spaceship is parked behind the shop.")),
            ["/logo.png"] = ("image/png", "PNG"),
        });
        return (site, elsewhere);
    }

    [Fact]
    public async Task AddSource_UrlWithCrawl_ReadsSameSitePagesUpToDepth()
    {
        var (site, elsewhere) = await StartSitesAsync();
        await using var _ = site;
        await using var __ = elsewhere;
        var client = app.Client();
        var bot = await client.CreateBotAsync();

        var created = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge",
            new { type = "url", url = site.Url("/"), crawl = new { max_depth = 2, max_pages = 10 } })).JsonAsync(HttpStatusCode.Created);
        var ready = await PollStatusAsync(client, bot, created.Id());

        Assert.Equal("ready", (string?)ready["status"]);
        Assert.Equal("Home", (string?)ready["title"]);
        Assert.Equal(2, (int)ready["crawl"]!["max_depth"]!);
        Assert.Equal(4, (int)ready["page_count"]!);
        // The best passage: once the chunks have vectors, passages close in meaning may follow it.
        var warranty = (await SearchAsync(client, bot, "how long is the frame warranty?"))[0];
        Assert.Contains("Warranty", warranty!["heading_path"]!.AsArray().Select(h => (string?)h));
        Assert.NotEmpty(await SearchAsync(client, bot, "when do you open on weekdays"));
        Assert.Empty(await SearchAsync(client, bot, "spaceship"));
        Assert.Empty(await SearchAsync(client, bot, "zebras graze"));
        Assert.Empty(elsewhere.Requested);
        Assert.DoesNotContain("/d", site.Requested);
        Assert.Equal(1, site.Requested.Count(p => p == "/a"));
        Assert.Equal(1, site.Requested.Count(p => p == "/"));
    }

    [Fact]
    public async Task AddSource_UrlWithCrawl_StopsAtMaxPages()
    {
        var (site, elsewhere) = await StartSitesAsync();
        await using var _ = site;
        await using var __ = elsewhere;
        var client = app.Client();
        var bot = await client.CreateBotAsync();

        var created = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge",
            new { type = "url", url = site.Url("/"), crawl = new { max_depth = 5, max_pages = 2 } })).JsonAsync(HttpStatusCode.Created);
        var ready = await PollStatusAsync(client, bot, created.Id());

        Assert.Equal(2, (int)ready["page_count"]!);
        Assert.Equal(["/", "/a"], site.Requested);
        Assert.NotEmpty(await SearchAsync(client, bot, "how long do repairs take"));
        // The hours page was not read: nothing found says when the shop opens (a passage close in meaning may still be).
        Assert.DoesNotContain(await SearchAsync(client, bot, "when do you open on weekdays"), p => ((string?)p!["text"])!.Contains("nine", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AddSource_UrlWithoutCrawl_ReadsOnlyItsPage()
    {
        var (site, elsewhere) = await StartSitesAsync();
        await using var _ = site;
        await using var __ = elsewhere;
        var client = app.Client();
        var bot = await client.CreateBotAsync();

        var created = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge", new { type = "url", url = site.Url("/") }))
            .JsonAsync(HttpStatusCode.Created);
        var ready = await PollStatusAsync(client, bot, created.Id());

        Assert.Equal(1, (int)ready["page_count"]!);
        Assert.Null(ready["crawl"]);
        Assert.Equal(["/"], site.Requested);
    }

    [Fact]
    public async Task AddSource_BadCrawl_400AndNothingWritten()
    {
        var client = app.Client();
        var bot = await client.CreateBotAsync();
        var before = await app.DbAsync(db => Task.FromResult(db.KnowledgeSources.Count()));

        var onText = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge",
            new { type = "text", title = "T", content = "Some text.", crawl = new { max_depth = 1 } })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var tooDeep = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge",
            new { type = "url", url = "https://example.com/", crawl = new { max_depth = 9 } })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var noPages = await (await client.PostJsonAsync($"/v1/bots/{bot}/knowledge",
            new { type = "url", url = "https://example.com/", crawl = new { max_pages = 0 } })).ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.NotNull(onText["errors"]!["crawl"]);
        Assert.NotNull(tooDeep["errors"]!["crawl.max_depth"]);
        Assert.NotNull(noPages["errors"]!["crawl.max_pages"]);
        Assert.Equal(before, await app.DbAsync(db => Task.FromResult(db.KnowledgeSources.Count())));
    }
}
