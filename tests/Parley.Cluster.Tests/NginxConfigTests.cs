using System.Diagnostics;
using Parley.Server.Tests.Contract;

namespace Parley.Cluster.Tests;

/// <summary>The nginx configuration users copy from <c>deploy/nginx</c> is one nginx accepts.</summary>
public sealed class NginxConfigTests
{
    [Fact]
    public async Task DeployConfiguration_PassesNginxCheck()
    {
        var directory = Directory.CreateTempSubdirectory("parley-nginx-check").FullName;
        try
        {
            // The layout of Debian's /etc/nginx: the site in conf.d, the proxy settings beside nginx.conf.
            Directory.CreateDirectory(Path.Combine(directory, "conf.d"));
            File.Copy(RepositoryFiles.PathOf("deploy/nginx/parley.conf"), Path.Combine(directory, "conf.d", "parley.conf"));
            File.Copy(RepositoryFiles.PathOf("deploy/nginx/parley-proxy.params"), Path.Combine(directory, "parley-proxy.params"));
            await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"),
                $"pid {directory}/nginx.pid;\nerror_log {directory}/error.log;\nevents {{}}\nhttp {{\n  include conf.d/*.conf;\n}}\n");

            var check = Process.Start(new ProcessStartInfo("/usr/sbin/nginx", ["-t", "-p", directory, "-c", Path.Combine(directory, "nginx.conf")])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var report = await check.StandardError.ReadToEndAsync();
            await check.WaitForExitAsync();
            Assert.True(check.ExitCode == 0, report);
            Assert.Contains("test is successful", report, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
