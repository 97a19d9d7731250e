namespace Parley.Server.Features.Dashboard;

/// <summary>
/// The dashboard (<c>src/Parley.Dashboard</c>, Blazor WebAssembly) as static files under <c>/app</c>: fingerprinted and
/// precompressed by the build, served with their ETags and cache headers, and <c>/app/*</c> falling back to its
/// <c>index.html</c> so that every dashboard address can be opened directly. Any node serves it; it keeps no state.
/// </summary>
public static class DashboardSetup
{
    public const string BasePath = "/app";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        // Lets the server find the dashboard's files in the build output in every environment (a publish copies them
        // into wwwroot instead, and this does nothing).
        builder.WebHost.UseStaticWebAssets();
        // Run from the build output, ASP.NET Core would watch the dashboard's files for edits: every file served again
        // unchanged but re-compressed on the fly at no compression (38 MB instead of the build's gzip), hashed twice per
        // request, and never cached. The dashboard is not edited under a running server, so the build's files are served
        // as they are, the way a publish serves them. Under dotnet watch, whose live reload needs the watching, and
        // when it is configured, ASP.NET Core decides.
        if (Environment.GetEnvironmentVariable("DOTNET_WATCH") != "1")
        {
            builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        }
        return builder;
    }

    public static WebApplication MapDashboard(this WebApplication app)
    {
        app.MapStaticAssets();
        // "/app" to "/app/", where the dashboard's relative addresses resolve. Not a route: routing treats "/app/" as
        // "/app", and the redirect would answer its own target.
        app.Use((context, next) =>
        {
            if (context.Request.Path.Value == BasePath && HttpMethods.IsGet(context.Request.Method))
            {
                context.Response.Redirect(BasePath + "/" + context.Request.QueryString);
                return Task.CompletedTask;
            }
            return next(context);
        });
        // The page names the app's files, so a browser asks again each time (an upgrade changes them) instead of
        // guessing a freshness from its age.
        app.MapFallbackToFile(BasePath + "/{*path:nonfile}", "app/index.html", new StaticFileOptions
        {
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl = "no-cache",
        });
        return app;
    }
}
