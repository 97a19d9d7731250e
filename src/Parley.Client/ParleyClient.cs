using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Parley.Client.Models;

namespace Parley.Client;

/// <summary>
/// A typed client for the Parley API (<c>/v1</c>), over an <see cref="HttpClient"/> whose base address is the server.
/// Authenticate with a secret key (<see cref="WithApiKey"/>), or, in the dashboard, with the session cookie the
/// browser keeps: then <see cref="CsrfToken"/> (set by sign-in and <see cref="GetSessionAsync"/>) goes with every change.
/// Problem answers throw <see cref="ParleyApiException"/>.
/// </summary>
public sealed partial class ParleyClient(HttpClient http)
{
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>The session's anti-forgery token, sent as <see cref="CsrfHeader"/> on POST, PUT, PATCH and DELETE.</summary>
    public string? CsrfToken { get; set; }

    /// <summary>A client authenticated with a secret key (<c>sk_…</c>).</summary>
    public static ParleyClient WithApiKey(Uri server, string secretKey)
    {
        var http = new HttpClient { BaseAddress = server };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secretKey);
        return new ParleyClient(http);
    }

    private Task<TResult> GetAsync<TResult>(string path, CancellationToken cancellationToken) =>
        GetAsync(path, TypeInfo<TResult>(), cancellationToken);

    private Task<TResult> SendAsync<TBody, TResult>(HttpMethod method, string path, TBody? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, JsonBody(body), TypeInfo<TResult>(), cancellationToken);

    private async Task SendAsync<TBody>(HttpMethod method, string path, TBody? body, CancellationToken cancellationToken)
    {
        using var request = Request(method, path);
        request.Content = JsonBody(body);
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
    }

    private Task<TResult> ReadAsync<TResult>(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ReadAsync(request, TypeInfo<TResult>(), cancellationToken);

    // The typed overloads below are for Parley.Client.Operations, whose models are in its own JSON context.
    internal Task<TResult> GetAsync<TResult>(string path, JsonTypeInfo<TResult> result, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, result, cancellationToken);

    internal async Task<TResult> SendAsync<TResult>(HttpMethod method, string path, HttpContent? body, JsonTypeInfo<TResult> result, CancellationToken cancellationToken)
    {
        using var request = Request(method, path);
        request.Content = body;
        return await ReadAsync(request, result, cancellationToken);
    }

    internal async Task<TResult> ReadAsync<TResult>(HttpRequestMessage request, JsonTypeInfo<TResult> result, CancellationToken cancellationToken) =>
        (await ReadTaggedAsync(request, result, cancellationToken)).Value;

    /// <summary>The answer's body with its ETag.</summary>
    internal async Task<ETagged<TResult>> ReadTaggedAsync<TResult>(HttpRequestMessage request, JsonTypeInfo<TResult> result, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowIfProblemAsync(response, cancellationToken);
        var value = await response.Content.ReadFromJsonAsync(result, cancellationToken)
            ?? throw new ParleyApiException((int)response.StatusCode, "empty_response", "The server answered without a body.", new Dictionary<string, string[]>(), null);
        return new ETagged<TResult>(value, response.Headers.ETag?.ToString());
    }

    private static JsonContent? JsonBody<TBody>(TBody? body) => body is null ? null : JsonContent.Create(body, TypeInfo<TBody>());

    internal HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        if (CsrfToken is not null && method != HttpMethod.Get && method != HttpMethod.Head)
        {
            request.Headers.Add(CsrfHeader, CsrfToken);
        }
        return request;
    }

    private static async Task ThrowIfProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        Problem? problem = null;
        try
        {
            problem = await response.Content.ReadFromJsonAsync(ClientJson.Default.Problem, cancellationToken);
        }
        catch (JsonException)
        {
        }
        throw new ParleyApiException(
            (int)response.StatusCode,
            problem?.Code ?? "http_" + (int)response.StatusCode,
            problem?.Detail ?? response.ReasonPhrase ?? "The request failed.",
            problem?.Errors ?? new Dictionary<string, string[]>(),
            problem?.RequestId);
    }

    private static JsonTypeInfo<T> TypeInfo<T>() =>
        (JsonTypeInfo<T>)(ClientJson.Default.GetTypeInfo(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in ClientJson."));

    internal static string Paged(string path, int? limit, string? after) =>
        Query(path, ("limit", limit?.ToString(CultureInfo.InvariantCulture)), ("after", after));

    /// <summary><paramref name="path"/> with the parameters that have a value added to its query string, each escaped.</summary>
    internal static string Query(string path, params (string Name, string? Value)[] parameters)
    {
        var query = string.Join('&', parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => p.Name + "=" + Uri.EscapeDataString(p.Value!)));
        return query.Length == 0 ? path : path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    /// <summary>A time as the API's query strings take it: UTC, to the second; null stays null.</summary>
    internal static string? Timestamp(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    internal static string Id(string id) => Uri.EscapeDataString(id);
}
