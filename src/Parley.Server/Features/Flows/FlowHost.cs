using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;
using Parley.Engine.Flows;
using Parley.Server.Features.Leads;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Flows;

/// <summary>
/// The server side of a flow's blocks: HTTP requests through the shared outbound rules (no private targets unless
/// allowed, checked again at connect time), leads and bookings through their features when they are registered.
/// </summary>
public sealed class FlowHost(
    IHttpClientFactory clients, IOptionsMonitor<NetworkOptions> network, IServiceProvider services, ILogger<FlowHost> logger) : IFlowHost
{
    public const string HttpClientName = "flows";

    /// <summary>The most of a response body an HTTP block reads; the rest is ignored.</summary>
    public const int MaxResponseBytes = 256 * 1024;

    public async ValueTask<FlowHttpResponse> SendAsync(FlowHttpRequest request, CancellationToken cancellationToken)
    {
        if (OutboundAddressPolicy.Problem(request.Url, network.CurrentValue.AllowPrivateTargets) is { } problem)
        {
            FlowHostLog.Refused(logger, problem);
            return new FlowHttpResponse(0, null);
        }
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        if (request.JsonBody is not null && request.Method != "GET")
        {
            message.Content = new StringContent(request.JsonBody, Encoding.UTF8, "application/json");
        }
        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            using var response = await clients.CreateClient(HttpClientName)
                .SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new byte[MaxResponseBytes];
            var read = 0;
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0)
            {
                read += n;
            }
            return new FlowHttpResponse((int)response.StatusCode, Encoding.UTF8.GetString(buffer, 0, read));
        }
        catch (Exception ex) when (ex is HttpRequestException or OutboundRefusedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            FlowHostLog.NoAnswer(logger, ex, request.Method);
            return new FlowHttpResponse(0, null);
        }
    }

    public async ValueTask<string?> CaptureLeadAsync(FlowContext context, FlowLead lead, CancellationToken cancellationToken)
    {
        if (services.GetService<IFlowLeadSink>() is not { } sink)
        {
            return null;
        }
        try
        {
            var captured = await sink.StageAsync(new FlowLeadRequest(
                context.Bot.Id, context.ConversationId, context.ContactId, lead.Name, lead.Email, lead.Phone, lead.Company, lead.Custom), cancellationToken);
            return captured.LeadId;
        }
        catch (LeadInputException invalid)
        {
            // A field the leads feature cannot accept: the block leaves by its failed port.
            FlowHostLog.LeadRefused(logger, invalid.Message);
            return null;
        }
    }

    public async ValueTask<IReadOnlyList<FlowSlot>> FreeSlotsAsync(
        FlowContext context, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        services.GetService<IFlowBookingDesk>() is { } desk ? await desk.FreeSlotsAsync(context.Bot.Id, from, to, cancellationToken) : [];

    public async ValueTask<FlowBookingResult> BookAsync(FlowContext context, FlowBooking booking, CancellationToken cancellationToken) =>
        services.GetService<IFlowBookingDesk>() is { } desk
            ? await desk.BookAsync(new FlowBookingRequest(context.Bot.Id, booking.Start, context.ContactId, context.ConversationId,
                booking.Name, booking.Email, booking.Phone, booking.Notes), cancellationToken)
            : new FlowBookingResult(null, "Booking is not available.");
}

internal static partial class FlowHostLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "A flow's HTTP block was refused: the URL {Problem}")]
    public static partial void Refused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "A flow's capture-lead block was refused: {Problem}")]
    public static partial void LeadRefused(ILogger logger, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "A flow's HTTP block ({Method}) got no answer")]
    public static partial void NoAnswer(ILogger logger, Exception exception, string method);
}
