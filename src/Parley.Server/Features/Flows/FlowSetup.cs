using Parley.Engine.Flows;
using Parley.Server.Infrastructure.Outbound;

namespace Parley.Server.Features.Flows;

public static class FlowSetup
{
    /// <summary>
    /// Flows: the host of their server-side blocks, the outbound HTTP client of HTTP blocks, conversation wiring, and the
    /// leads and bookings features behind the capture-lead and book-appointment blocks.
    /// </summary>
    public static IServiceCollection AddFlows(this IServiceCollection services)
    {
        services.AddOutboundHttpClient(FlowHost.HttpClientName); // each HTTP block has its own timeout
        services.AddScoped<IFlowHost, FlowHost>();
        services.AddScoped<FlowConversations>();
        services.AddScoped<FlowTestRuns>();
        services.AddScoped<IFlowLeadSink, FlowLeadSink>();
        services.AddScoped<IFlowBookingDesk, FlowBookingDesk>();
        return services;
    }
}
