namespace Parley.Engine.Usage;

/// <summary>
/// The shares of a plan's monthly limit at which the workspace is told: 80 % (<c>usage.limit_approaching</c>) and
/// 100 % (<c>usage.limit_reached</c>).
/// </summary>
public static class UsageLimitThresholds
{
    public const int Approaching = 80;
    public const int Reached = 100;

    /// <summary>The thresholds, lowest first.</summary>
    public static IReadOnlyList<int> All { get; } = [Approaching, Reached];

    /// <summary>
    /// The thresholds that <paramref name="used"/> is at or past for <paramref name="limit"/>, lowest first; none when
    /// there is no limit. Exact in integers: 8 of 10 is 80 %, 7 of 9 is not.
    /// </summary>
    public static IReadOnlyList<int> At(long used, long? limit)
    {
        if (limit is not { } cap || cap < 0)
        {
            return [];
        }
        return [.. All.Where(percent => (Int128)used * 100 >= (Int128)cap * percent)];
    }
}
