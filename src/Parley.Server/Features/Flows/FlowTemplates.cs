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

    /// <summary>What the gallery shows of each template: a name and a sentence on what the flow does.</summary>
    public static IReadOnlyDictionary<string, (string Name, string Description)> Descriptions { get; } = new Dictionary<string, (string, string)>
    {
        [FaqLeadCapture] = ("FAQ and lead capture",
            "Answers questions with the AI; when the visitor asks to be contacted, asks their name and email and captures a lead."),
        [AppointmentBooking] = ("Appointment booking",
            "Asks name and email, offers the next free slots and books one; questions go to the AI, and a failed booking hands off to a person."),
        [QualifyHandoff] = ("Qualify leads and hand off to a person",
            "Asks company size, work email and budget, captures a scored lead and hands qualified leads to a person."),
    };

    // The templates ship inside the build, so they are read and validated once, on first use.
    private static readonly Lazy<IReadOnlyDictionary<string, FlowTemplate>> Templates =
        new(() => Names.ToDictionary(name => name, Read, StringComparer.Ordinal));

    /// <summary>The template of that name, or null when there is none.</summary>
    public static FlowTemplate? Find(string name) => Templates.Value.GetValueOrDefault(name);

    /// <summary>The flow document of a template, or null when there is no template of that name.</summary>
    public static string? Load(string name) => Find(name)?.Json;

    private static FlowTemplate Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"Parley.Server.Flows.Templates.{name}.json")
            ?? throw new InvalidOperationException($"The template resource '{name}' is missing from the build.");
        using var reader = new StreamReader(stream);
        var json = reader.ReadToEnd();
        // A template that does not validate is a build error caught by the tests, never shipped silently.
        return new FlowTemplate(name, json, FlowGraph.Parse(json));
    }
}

/// <summary>A template's flow document as shipped, and the graph it parses to.</summary>
public sealed record FlowTemplate(string Id, string Json, FlowGraph Graph);
