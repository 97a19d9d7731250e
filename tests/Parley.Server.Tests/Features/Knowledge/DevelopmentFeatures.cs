using System.Globalization;
using Parley.Engine.Knowledge;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>
/// One development question's best candidate answer, as <see cref="VisitorEvaluationTests"/> writes it and
/// <see cref="AnswerDecisionFitTests"/> reads it: business, kind (in, near, out), whether the candidate states the right
/// fact, the candidate's <see cref="AnswerFeatures"/> ("-" when there was no candidate), and the question.
/// </summary>
public sealed record DevelopmentFeatures(string Business, string Kind, bool Right, double[]? Values, string Question)
{
    public const string FileName = "development-features.tsv";

    public static string Header => string.Join('\t', ["business", "kind", "right", .. AnswerFeatures.Names, "question"]);

    public bool InScope => Kind == "in";

    public static string Row(string business, string kind, bool right, AnswerFeatures? features, string question) =>
        string.Join('\t', [business, kind, right ? "1" : "0",
            .. features?.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)) ?? AnswerFeatures.Names.Select(_ => "-"),
            question]);

    public static IReadOnlyList<DevelopmentFeatures> Read(string path) => [.. File.ReadAllLines(path).Skip(1)
        .Where(l => l.Length > 0)
        .Select(l => l.Split('\t'))
        .Select(p => new DevelopmentFeatures(p[0], p[1], p[2] == "1",
            p[3] == "-" ? null : [.. p[3..^1].Select(v => double.Parse(v, CultureInfo.InvariantCulture))], p[^1]))];
}
