namespace Parley.Client;

/// <summary>
/// The operation of <c>openapi/v1.json</c> a client method calls. A test checks every one against the contract, so
/// the client cannot call a path the server does not have. A method that calls one of several operations of the same
/// shape (one per platform) names each.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ApiOperationAttribute(string method, string path) : Attribute
{
    public string Method { get; } = method;
    public string Path { get; } = path;
}
