using System.Globalization;
using Parley.Engine.Flows;

namespace Parley.Server.Features.Flows;

/// <summary>
/// The outside world of a test run: HTTP blocks really call (that is what the owner is testing) and free slots are
/// read from the real calendar, but no lead and no booking is saved; each is written down as a note instead.
/// </summary>
public sealed class FlowTestRunHost(IFlowHost real) : IFlowHost
{
    public const string LeadId = "lead_test_run";
    public const string BookingId = "booking_test_run";

    public List<string> Notes { get; } = [];

    public async ValueTask<FlowHttpResponse> SendAsync(FlowHttpRequest request, CancellationToken cancellationToken)
    {
        var response = await real.SendAsync(request, cancellationToken);
        Notes.Add(string.Create(CultureInfo.InvariantCulture,
            $"HTTP {request.Method} {request.Url} answered {(response.Status == 0 ? "nothing" : response.Status.ToString(CultureInfo.InvariantCulture))}."));
        return response;
    }

    public ValueTask<string?> CaptureLeadAsync(FlowContext context, FlowLead lead, CancellationToken cancellationToken)
    {
        var fields = new[] { ("name", lead.Name), ("email", lead.Email), ("phone", lead.Phone), ("company", lead.Company) }
            .Where(f => !string.IsNullOrEmpty(f.Item2)).Select(f => $"{f.Item1} {f.Item2}")
            .Concat(lead.Custom.Select(c => $"{c.Key} {c.Value}"));
        Notes.Add($"A lead would be captured ({string.Join(", ", fields)}); a test run saves none.");
        return ValueTask.FromResult<string?>(LeadId);
    }

    public ValueTask<IReadOnlyList<FlowSlot>> FreeSlotsAsync(FlowContext context, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        real.FreeSlotsAsync(context, from, to, cancellationToken);

    public ValueTask<FlowBookingResult> BookAsync(FlowContext context, FlowBooking booking, CancellationToken cancellationToken)
    {
        Notes.Add(string.Create(CultureInfo.InvariantCulture, $"The slot at {booking.Start:yyyy-MM-dd HH:mm} UTC would be booked; a test run books nothing."));
        return ValueTask.FromResult(new FlowBookingResult(BookingId, null));
    }
}
