namespace Parley.Server.Features.Status;

/// <summary>How available each component has been over the last <paramref name="WindowDays"/> days, from one sample a minute.</summary>
/// <param name="From">The first day shown (UTC).</param>
/// <param name="To">The last day shown: today (UTC).</param>
/// <param name="Components">Each component's daily figures, oldest day first.</param>
/// <param name="Incidents">Periods of more than a minute in which a component was not operational, newest first.</param>
public sealed record StatusHistory(int WindowDays, DateOnly From, DateOnly To, IReadOnlyList<ComponentHistory> Components, IReadOnlyList<StatusIncident> Incidents);

/// <param name="UptimePercent">Operational minutes as a share of the sampled minutes over the whole window; null before the first sample.</param>
public sealed record ComponentHistory(string Name, double? UptimePercent, IReadOnlyList<ComponentDay> Days);

/// <summary>One component on one UTC day. Minutes without a sample (no node running) are in none of the counts.</summary>
/// <param name="UptimePercent">Operational minutes as a share of the sampled minutes, two decimals; null when nothing was sampled that day.</param>
public sealed record ComponentDay(DateOnly Date, int OperationalMinutes, int DegradedMinutes, int DownMinutes, double? UptimePercent);

/// <summary>A component not operational for more than a minute.</summary>
/// <param name="Status">The worst state it was in: <c>degraded</c> or <c>down</c>.</param>
/// <param name="StartedAt">The first minute sampled not operational.</param>
/// <param name="EndedAt">The minute after the last one sampled not operational; null while it goes on.</param>
/// <param name="DurationSeconds">From start to end, or to now while it goes on.</param>
public sealed record StatusIncident(string Component, string Status, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, long DurationSeconds, bool Ongoing);
