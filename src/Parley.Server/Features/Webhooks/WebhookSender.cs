using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Data.Entities;
using Parley.Engine.Webhooks;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Webhooks;

/// <summary>The outcome of one HTTP attempt.</summary>
public sealed record WebhookAttemptResult(bool Succeeded, int? StatusCode, double DurationMs, string? ResponseExcerpt, string? Error);

/// <summary>Signs an event body and POSTs it to an endpoint: one attempt, classified, never thrown.</summary>
public sealed class WebhookSender(IHttpClientFactory clients, WebhookSecrets secrets, TimeProvider time, IOptionsMonitor<WebhookOptions> options)
{
    public const string HttpClientName = "webhooks";
    private const int ExcerptBytes = 1024;

    public async Task<WebhookAttemptResult> SendAsync(WebhookEndpoint endpoint, string eventId, string body, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var timestamp = now.ToUnixTimeSeconds();
        var signingSecrets = new List<string> { secrets.Unprotect(endpoint.SecretProtected) };
        if (endpoint.PreviousSecretProtected is not null && endpoint.PreviousSecretExpiresAt > now)
        {
            signingSecrets.Add(secrets.Unprotect(endpoint.PreviousSecretProtected));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", WebhookSignature.Sign(signingSecrets, eventId, timestamp, body));
        request.Headers.UserAgent.ParseAdd("Parley-Webhooks/1.0");

        var timeout = options.CurrentValue.Timeout;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            var excerpt = await ReadExcerptAsync(response, timeoutSource.Token);
            var status = (int)response.StatusCode;
            var ok = status is >= 200 and < 300;
            return new WebhookAttemptResult(ok, status, Elapsed(started), excerpt, ok ? null : $"The receiver answered {status}.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WebhookAttemptResult(false, null, Elapsed(started), null, $"No answer within {timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException ex)
        {
            var refused = ex.InnerException as OutboundRefusedException ?? ex.InnerException?.InnerException as OutboundRefusedException;
            var message = refused is not null ? "Refused: " + refused.Message : "Could not connect: " + ex.Message;
            return new WebhookAttemptResult(false, null, Elapsed(started), null, message);
        }
    }

    private static async Task<string?> ReadExcerptAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ExcerptBytes];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }
        return total == 0 ? null : Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static double Elapsed(long started) => Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 3);
}
