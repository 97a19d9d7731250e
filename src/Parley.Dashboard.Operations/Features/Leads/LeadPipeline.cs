namespace Parley.Dashboard.Operations.Features.Leads;

/// <summary>
/// The lead statuses in pipeline order, for columns and labels. Which moves are allowed is the API's rule alone: the
/// board sends every drop and shows the API's 422 when a move is not allowed.
/// </summary>
public static class LeadPipeline
{
    public static IReadOnlyList<string> Statuses { get; } = ["new", "contacted", "qualified", "won", "lost"];

    public static string Label(string status) => status switch
    {
        "new" => "New",
        "contacted" => "Contacted",
        "qualified" => "Qualified",
        "won" => "Won",
        "lost" => "Lost",
        _ => status,
    };
}
