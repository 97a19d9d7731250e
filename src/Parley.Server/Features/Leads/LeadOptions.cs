using Parley.Engine.Leads;

namespace Parley.Server.Features.Leads;

/// <summary>Lead settings, bound from <c>Parley:Leads</c>.</summary>
public sealed class LeadOptions
{
    public const string Section = "Parley:Leads";

    /// <summary>
    /// The region (ISO 3166 alpha-2, such as <c>DE</c>) phone numbers without a country code are read in; without it,
    /// numbers must start with <c>+</c> and their country code.
    /// </summary>
    public string? DefaultPhoneRegion { get; set; }

    /// <summary>How leads are scored (see <c>docs/leads.md</c>).</summary>
    public LeadScoringRules Scoring { get; set; } = new();
}
