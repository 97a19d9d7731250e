using Parley.Data;
using Parley.Server.Features.Leads;

namespace Parley.Server.Features.Flows;

/// <summary>
/// Capture-lead blocks through the leads feature: the lead (and its <c>lead.captured</c> / <c>lead.updated</c> event)
/// is staged in the turn's own context, so it commits with the turn's messages or not at all. Fields the leads feature
/// refuses (an email it cannot read, a phone it cannot normalise) surface as <see cref="LeadInputException"/>; the flow
/// host turns that into the block's <c>failed</c> port.
/// </summary>
public sealed class FlowLeadSink(ParleyDbContext db, LeadCapture leads) : IFlowLeadSink
{
    public async Task<FlowLeadCaptured> StageAsync(FlowLeadRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var result = await leads.StageAsync(db, new LeadCaptureRequest(
            request.BotId, request.ConversationId, request.ContactId, request.Name, request.Email, request.Phone, request.Company,
            request.Custom), cancellationToken);
        return new FlowLeadCaptured(result.LeadId, result.Created, result.Score);
    }
}
