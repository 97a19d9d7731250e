namespace Parley.Dashboard.Features.Bots;

/// <summary>The flow templates the API offers for a new bot (<c>template</c> in <c>POST /v1/bots</c>).</summary>
public static class BotTemplates
{
    public static readonly (string? Id, string Name)[] All =
    [
        (null, "Blank"),
        ("faq_lead_capture", "FAQ and lead capture"),
        ("appointment_booking", "Appointment booking"),
        ("qualify_handoff", "Qualify leads and hand off to a person"),
    ];
}
