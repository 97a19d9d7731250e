using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>
/// The server for the contract fuzz suite. Rate limits are raised so that thousands of requests are not throttled, and
/// Parley's own background workers do not run: a webhook attempt or an analytics roll-up written between two requests
/// would move the row counts that show a rejected request wrote nothing.
/// </summary>
public sealed class FuzzApp : ParleyApp
{
    public FuzzApp()
    {
        With("Parley:RateLimits:SecretKeyPerMinute", "100000");
        With("Parley:RateLimits:WidgetMessagesPerMinute", "100000");
        With("Parley:RateLimits:WidgetReadsPerMinute", "100000");
        With("Parley:RateLimits:WidgetSessionsPerMinutePerIp", "100000");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var workers = services.Where(d => d.ServiceType == typeof(IHostedService) && IsParleys(d)).ToList();
            foreach (var worker in workers)
            {
                services.Remove(worker);
            }
        });
    }

    private static bool IsParleys(ServiceDescriptor descriptor)
    {
        var type = descriptor.ImplementationType ?? descriptor.ImplementationFactory?.Method.DeclaringType ?? descriptor.ImplementationInstance?.GetType();
        return type?.Assembly == typeof(Program).Assembly;
    }
}
