using System.Reflection;
using Parley.Engine.Flows;

namespace Parley.Server.Features.Flows;

/// <summary>The flows a business can start from, shipped as JSON resources (<c>Features/Flows/Templates/*.json</c>).</summary>
public static class FlowTemplates
{
    public const string FaqLeadCapture = "faq_lead_capture";
    public const string AppointmentBooking = "appointment_booking";
    public const string QualifyHandoff = "qualify_handoff";

    public static IReadOnlyList<string> Names { get; } = [FaqLeadCapture, AppointmentBooking, QualifyHandoff];

    /// <summary>The flow document of a template, or null when there is no template of that name.</summary>
    public static string? Load(string name)
    {
        if (!Names.Contains(name))
        {
            return null;
        }
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Parley.Server.Flows.Templates.{name}.json")
            ?? throw new InvalidOperationException($"The template resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        var json = reader.ReadToEnd();
        FlowGraph.Parse(json); // a template that does not validate is a build error caught by the tests, never shipped silently
        return json;
    }
}
