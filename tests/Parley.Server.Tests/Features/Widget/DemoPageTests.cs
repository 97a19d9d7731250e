using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Features.Widget;
using Parley.Server.Infrastructure.Persistence;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Widget;

[Trait(Storage.Trait, Storage.Independent)]
public sealed class DemoPageTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    [Fact]
    public async Task Root_FreshServer_DemoBotWidgetWithItsKeyUnderStrictCsp()
    {
        var key = await app.DbAsync(db => db.ApiKeys.IgnoreQueryFilters().Where(k => k.Name == WorkspaceSeeder.DemoKeyName).Select(k => k.PublishableToken).SingleAsync());

        var response = await app.Client(null).GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains($"<script src=\"{WidgetAsset.Current.VersionedPath}\" data-key=\"{key}\" async></script>", html, StringComparison.Ordinal);
        Assert.Contains("Parley Demo", html, StringComparison.Ordinal);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_HostileValues_AllEncoded()
    {
        var bot = new DemoBot("<script>alert(1)</script>", "pk_\"><img src=x onerror=alert(2)>", ["https://a.example\"><b>"], OriginAllowed: false);

        var html = DemoPage.Render(bot, "http://evil.example\"><i>", "/widget.abc.js");

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<i>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_NoDemoKey_NoWidgetAndSaysWhy()
    {
        var html = DemoPage.Render(null, "http://localhost:5080", "/widget.abc.js");

        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.Contains("revoked", html, StringComparison.Ordinal);
    }
}
