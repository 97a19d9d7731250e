using System.Globalization;
using System.Text;

namespace Parley.Engine.Turns;

/// <summary>How long each stage of one turn took, in milliseconds.</summary>
public sealed class StageTimings
{
    private readonly double?[] _milliseconds = new double?[TurnStageNames.All.Count];

    public void Record(TurnStage stage, double milliseconds) => _milliseconds[(int)stage] = milliseconds;

    /// <summary>Adds time spent on a stage's work outside the pipeline (credential checks in HTTP middleware).</summary>
    public void Add(TurnStage stage, double milliseconds) =>
        _milliseconds[(int)stage] = (_milliseconds[(int)stage] ?? 0) + milliseconds;

    public double? Of(TurnStage stage) => _milliseconds[(int)stage];

    /// <summary>The times recorded so far, as a copy that later stages do not change.</summary>
    public StageTimings Copy()
    {
        var copy = new StageTimings();
        _milliseconds.CopyTo(copy._milliseconds, 0);
        return copy;
    }

    /// <summary>The recorded stages by wire name, rounded to microseconds, in pipeline order.</summary>
    public IReadOnlyDictionary<string, double> ToDictionary()
    {
        var result = new Dictionary<string, double>(_milliseconds.Length);
        foreach (var stage in TurnStageNames.All)
        {
            if (_milliseconds[(int)stage] is { } ms)
            {
                result[stage.WireName()] = Math.Round(ms, 3);
            }
        }
        return result;
    }

    /// <summary>The value of a <c>Server-Timing</c> header: <c>capture;dur=0.412, authenticate;dur=0.051, …</c>.</summary>
    public string ToServerTimingHeader()
    {
        var builder = new StringBuilder(160);
        foreach (var stage in TurnStageNames.All)
        {
            if (_milliseconds[(int)stage] is not { } ms)
            {
                continue;
            }
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }
            builder.Append(stage.WireName()).Append(";dur=").Append(Math.Round(ms, 3).ToString(CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
