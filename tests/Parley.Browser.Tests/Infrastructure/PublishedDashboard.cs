using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.FileProviders;

namespace Parley.Browser.Tests.Infrastructure;

/// <summary>
/// Serves the dashboard's runtime and assemblies (<c>/app/_framework</c>) from a publish of <c>src/Parley.Dashboard</c>
/// when <see cref="Variable"/> names one, as <c>./test.sh</c> does: trimmed, the app a deployment ships (54 files, 11 MB)
/// rather than a build's output (216 files, 38 MB), and so seconds faster to start in every test's fresh browser
/// context. Everything else under <c>/app</c> (the page, styles, the addresses' fallback) is the server's own. Without
/// the variable the tests run on the build's files.
/// </summary>
public sealed class PublishedDashboard(string publishDirectory) : IStartupFilter
{
    public const string Variable = "PARLEY_TEST_DASHBOARD_PUBLISH";

    public static string? Directory => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } directory ? directory : null;

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
    {
        var framework = FrameworkOf(publishDirectory);
        return app =>
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(framework), RequestPath = "/app/_framework" });
            next(app);
        };
    }

    /// <summary>The publish's <c>_framework</c> folder; a wrong setting fails every test at once with a reason.</summary>
    private static string FrameworkOf(string publishDirectory)
    {
        if (!Path.IsPathRooted(publishDirectory))
        {
            throw new InvalidOperationException($"{Variable} must be an absolute path (it is '{publishDirectory}').");
        }
        var framework = Path.Combine(publishDirectory, "wwwroot", "app", "_framework");
        foreach (var file in new[] { "blazor.webassembly.js", "dotnet.js" })
        {
            if (!File.Exists(Path.Combine(framework, file)))
            {
                throw new InvalidOperationException($"{Variable} names '{publishDirectory}', which holds no {file} under wwwroot/app/_framework: not a publish of src/Parley.Dashboard.");
            }
        }
        return framework;
    }
}
