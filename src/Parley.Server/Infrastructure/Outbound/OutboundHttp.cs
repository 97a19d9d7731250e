using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Parley.Server.Infrastructure.Outbound;

/// <summary>
/// The HTTP handler for every outbound call: the target is checked after DNS resolution, at connect time, so neither
/// a DNS name that resolves to a private address nor a redirect can reach one. TLS certificates are verified (the
/// default), redirects are not followed unless a caller opts in.
/// </summary>
public static class OutboundHttp
{
    /// <summary>
    /// A named client on the outbound handler, with Parley's network rules bound, and no client-wide timeout: every
    /// caller sets its own per request.
    /// </summary>
    public static IHttpClientBuilder AddOutboundHttpClient(this IServiceCollection services, string name)
    {
        services.AddOptions<NetworkOptions>().BindConfiguration(NetworkOptions.Section);
        return services.AddHttpClient(name)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptionsMonitor<NetworkOptions>>()))
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
    }

    public static SocketsHttpHandler CreateHandler(IOptionsMonitor<NetworkOptions> options) => new()
    {
        AllowAutoRedirect = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        MaxConnectionsPerServer = 64,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken);
            var allowed = options.CurrentValue.AllowPrivateTargets
                ? addresses
                : [.. addresses.Where(OutboundAddressPolicy.IsPublic)];
            if (allowed.Length == 0)
            {
                throw new OutboundRefusedException(
                    $"{context.DnsEndPoint.Host} resolves to a private, loopback or link-local address, which is not allowed.");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}

/// <summary>An outbound call was refused by Parley's own network rules before anything was sent.</summary>
public sealed class OutboundRefusedException(string message) : Exception(message);
