namespace Parley.Server.Infrastructure.Outbound;

/// <summary>Rules for every outbound HTTP call Parley makes (<c>Parley:Network</c>).</summary>
public sealed class NetworkOptions
{
    public const string Section = "Parley:Network";

    /// <summary>
    /// Allow calls to loopback, private and link-local addresses. Off by default so that a webhook URL or a
    /// knowledge-base URL cannot be used to reach the server's own network; on in the Development environment
    /// (<c>appsettings.Development.json</c>, which <c>dotnet run</c> uses), so a local trial can deliver to a receiver
    /// on the same machine; tests and on-premise setups set it explicitly.
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
}
