namespace Parley.Server.Infrastructure.Outbound;

/// <summary>Rules for every outbound HTTP call Parley makes (<c>Parley:Network</c>).</summary>
public sealed class NetworkOptions
{
    public const string Section = "Parley:Network";

    /// <summary>
    /// Allow calls to loopback, private and link-local addresses. Off by default so that a webhook URL or a
    /// knowledge-base URL cannot be used to reach the server's own network; tests and on-premise setups turn it on.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
}
