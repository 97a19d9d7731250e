using System.Net.Http.Headers;
using System.Text;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Contract.Fuzz;

/// <summary>A response as the contract validator reads it.</summary>
internal sealed record RecordedResponse(string Method, string Path, int Status, string? ContentType, string? Body, string Request);

/// <summary>
/// Sends fuzz requests and judges each response: a 2xx or a 4xx the operation documents (never a 5xx), and for a
/// rejected request the row count of every table unchanged.
/// </summary>
internal sealed class FuzzRunner(FuzzWorld world, TableCounts counts)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(20);

    public List<string> Failures { get; } = [];
    public List<RecordedResponse> Responses { get; } = [];
    public Dictionary<int, int> StatusCounts { get; } = [];
    public int Sent { get; private set; }

    public async Task RunAsync(FuzzRequest request, string caseName)
    {
        var path = await PathAsync(request);
        var description = $"[{caseName}] {request.Describe(path)}";
        var before = await counts.ReadAsync();
        using var message = Build(request, path);
        using var client = ClientFor(request.Credential);
        using var timeout = new CancellationTokenSource(RequestTimeout);
        Sent++;
        HttpResponseMessage response;
        string? body;
        try
        {
            response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            // A live event stream never ends by itself: its headers are the answer.
            body = response.Content.Headers.ContentType?.MediaType == "text/event-stream" ? null : await response.Content.ReadAsStringAsync(timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or OperationCanceledException or InvalidOperationException)
        {
            Failures.Add($"{description}\n    → the request failed: {exception.GetType().Name}: {exception.Message}");
            return;
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            StatusCounts[status] = StatusCounts.GetValueOrDefault(status) + 1;
            Responses.Add(new RecordedResponse(request.Operation.Method, request.Operation.Path, status, response.Content.Headers.ContentType?.ToString(), body, description));
            if (!request.Operation.Allows(status))
            {
                Failures.Add($"{description}\n    → {status}, not a status this operation documents: {Excerpt(body)}");
            }
            if (status >= 400)
            {
                var changed = TableCounts.Differences(before, await counts.ReadAsync());
                if (changed.Count > 0)
                {
                    Failures.Add($"{description}\n    → rejected with {status} but wrote rows: {string.Join(", ", changed)}: {Excerpt(body)}");
                }
            }
        }
    }

    private async Task<string> PathAsync(FuzzRequest request)
    {
        var path = request.Operation.Path;
        foreach (var (name, value) in request.PathValues)
        {
            var literal = value.Literal ?? await world.CreateAsync(value.Fresh!.Value) ?? world.Own[value.Fresh.Value];
            path = path.Replace("{" + name + "}", FuzzRequest.Escape(literal), StringComparison.Ordinal);
        }
        return path;
    }

    private static HttpRequestMessage Build(FuzzRequest request, string path)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Operation.Method.ToUpperInvariant()), path + request.QueryString());
        if (request.Body is { } body)
        {
            message.Content = new ByteArrayContent(body.Bytes);
            if (body.ContentType is { Length: > 0 } contentType && MediaTypeHeaderValue.TryParse(contentType, out var parsed))
            {
                message.Content.Headers.ContentType = parsed;
            }
            else if (body.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", body.ContentType);
            }
        }
        if (request.IdempotencyKey is not null)
        {
            message.Headers.TryAddWithoutValidation("Idempotency-Key", request.IdempotencyKey);
        }
        return message;
    }

    private HttpClient ClientFor(Credential credential)
    {
        var app = world.App;
        return credential switch
        {
            Credential.Owner => app.Client(),
            Credential.None => app.Client(null),
            Credential.EmptyBearer => WithAuthorization(app.Client(null), "Bearer "),
            Credential.BasicScheme => WithAuthorization(app.Client(null), "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(ParleyApp.OwnerKey + ":"))),
            Credential.Garbage => WithAuthorization(app.Client(null), "Bearer \u00e9\u00e8 ' OR 1=1 --"),
            Credential.UnknownSecretKey => app.Client("sk_" + new string('a', 32)),
            Credential.RevokedKey => app.Client(world.RevokedKey),
            Credential.ReadOnlyKey => app.Client(world.ReadOnlyKey),
            Credential.OtherWorkspaceKey => app.Client(world.OtherWorkspaceKey),
            Credential.Publishable => world.Widget(),
            Credential.PublishableWithoutOrigin => app.Client(world.PublishableKey),
            Credential.PublishableWrongOrigin => WithOrigin(app.Client(world.PublishableKey), "https://evil.example"),
            Credential.SessionToken => app.Client(world.SessionToken),
            Credential.ForgedSessionToken => app.Client(world.SessionToken[..^4] + "AAAA"),
            _ => throw new ArgumentOutOfRangeException(nameof(credential)),
        };
    }

    private static HttpClient WithAuthorization(HttpClient client, string value)
    {
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", value);
        return client;
    }

    private static HttpClient WithOrigin(HttpClient client, string origin)
    {
        client.DefaultRequestHeaders.Add("Origin", origin);
        return client;
    }

    private static string Excerpt(string? body) => body is null ? "(stream)" : body.Length <= 400 ? body : body[..400] + "…";
}
