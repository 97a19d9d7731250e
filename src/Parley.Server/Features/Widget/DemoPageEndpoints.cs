using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Engine.Keys;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Widget;

/// <summary>
/// The page at <c>/</c>: the seeded demo bot live in the widget, with the snippet that installs it, so whoever has just
/// started the server sees Parley working in their browser.
/// </summary>
public static class DemoPageEndpoints
{
    public static IEndpointRouteBuilder MapDemoPage(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", ShowAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ShowAsync(HttpContext http, ParleyDbContext db, CancellationToken cancellationToken)
    {
        // The page has no credential, so it looks past the workspace filter for the one key the seeder made for it.
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking()
            .Where(k => k.Kind == ApiKeyKind.Publishable && k.Name == WorkspaceSeeder.DemoKeyName && k.RevokedAt == null && k.PublishableToken != null)
            .OrderBy(k => k.CreatedAt)
            .Select(k => new { k.PublishableToken, k.AllowedOrigins, k.BotId })
            .FirstOrDefaultAsync(cancellationToken);
        var botName = key is null ? null : await db.Bots.IgnoreQueryFilters().AsNoTracking()
            .Where(b => b.Id == key.BotId && b.DeletedAt == null)
            .Select(b => b.Name)
            .FirstOrDefaultAsync(cancellationToken);

        var origin = $"{http.Request.Scheme}://{http.Request.Host}";
        var demo = key is null || botName is null
            ? null
            : new DemoBot(botName, key.PublishableToken!, key.AllowedOrigins, OriginPolicy.Allows(key.AllowedOrigins, origin));
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = DemoPage.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-cache";
        headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
        return Results.Content(DemoPage.Render(demo, origin, WidgetAsset.Current.VersionedPath), "text/html; charset=utf-8");
    }
}
