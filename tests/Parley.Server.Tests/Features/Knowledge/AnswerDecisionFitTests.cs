using System.Globalization;
using Parley.Engine.Knowledge;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>
/// Fits <see cref="AnswerDecision"/> on the development half of the visitor evaluation and checks the coefficients in
/// code are the ones fitted, so they can be reproduced. The features of every development question's best candidate
/// are in Evaluation/Visitors/development-features.tsv, written by <see cref="VisitorEvaluationTests"/>:
/// <code>
/// PARLEY_EVALUATION_HALF=development PARLEY_EVALUATION_FEATURES=$PWD/tests/Parley.Server.Tests/Features/Knowledge/Evaluation/Visitors/development-features.tsv \
///   dotnet test tests/Parley.Server.Tests -c Release --filter "FullyQualifiedName~VisitorEvaluationTests"
/// </code>
/// The L2 penalty and the threshold are chosen by 5-fold cross-validation within that half, maximising the share of
/// in-scope questions answered right less three times the share of out-of-scope questions answered (one wrong answer
/// to a question the business cannot answer costs as much as about eight right ones); then the model is fitted on the
/// whole half. The cross-validated figures are the honest estimate of what the held-out half will give.
/// </summary>
public sealed class AnswerDecisionFitTests(ITestOutputHelper output)
{
    private static readonly string FeaturesFile = Path.Combine(
        AppContext.BaseDirectory, "Features", "Knowledge", "Evaluation", "Visitors", DevelopmentFeatures.FileName);

    private static readonly double[] Penalties = [0.01, 0.1, 0.3, 1, 3, 10, 30];
    private const int Folds = 5;
    private const double OutOfScopeCost = 3;

    /// <summary>Thresholds tried, coarse so that the choice does not chase single questions.</summary>
    private static readonly double[] Thresholds = [.. Enumerable.Range(1, 19).Select(i => i * 0.05)];

    private sealed record Figures(int Right, int InScope, int Answered, int OutOfScope)
    {
        public double RightRate => (double)Right / InScope;
        public double AnsweredRate => (double)Answered / OutOfScope;
        public double Utility => RightRate - (OutOfScopeCost * AnsweredRate);
        public override string ToString() =>
            $"in scope right {RightRate:P1} ({Right}/{InScope}), out of scope answered {AnsweredRate:P1} ({Answered}/{OutOfScope})";
    }

    [Fact]
    public void AnswerDecision_FittedOnDevelopmentHalf_MatchesCode()
    {
        var rows = DevelopmentFeatures.Read(FeaturesFile);
        Assert.All(rows, r => Assert.True(r.Values is null || r.Values.Length == AnswerFeatures.Names.Count, "the features file is older than AnswerFeatures: write it again"));
        var (penalty, threshold, crossValidated) = ChooseByCrossValidation(rows, [.. Enumerable.Range(0, AnswerFeatures.Names.Count)]);
        output.WriteLine($"cross-validated ({Folds}-fold) on the development half, penalty {penalty}, threshold {threshold:F2}: {crossValidated}");
        // Backward elimination, printed to show what each feature is worth: drop the feature whose removal helps the
        // cross-validated figures most (or costs nothing), until every removal costs something.
        var kept = Enumerable.Range(0, AnswerFeatures.Names.Count).ToList();
        var current = crossValidated;
        while (kept.Count > 1)
        {
            var (dropped, figures) = kept.Select(j => (j, ChooseByCrossValidation(rows, [.. kept.Where(k => k != j)]).Figures)).MaxBy(x => x.Figures.Utility);
            output.WriteLine($"  without {AnswerFeatures.Names[dropped],-20} {figures} (utility {figures.Utility:F3} against {current.Utility:F3})");
            if (figures.Utility < current.Utility - 1e-9)
            {
                break;
            }
            kept.Remove(dropped);
            current = figures;
        }
        output.WriteLine($"  every feature counts when none can be dropped at no cost: kept {string.Join(", ", kept.Select(j => AnswerFeatures.Names[j]))}");

        var fitted = Fit(rows.Where(r => r.Values is not null).ToList(), penalty, [.. Enumerable.Range(0, AnswerFeatures.Names.Count)]);
        var rounded = new LogisticRegression([.. fitted.Weights.Select(w => Math.Round(w, 3))], Math.Round(fitted.Intercept, 3));
        output.WriteLine($"in-sample with the rounded fit: {Evaluate(rows, r => rounded.Probability(r.Values!), threshold)}");
        output.WriteLine($"public static readonly double[] Weights = [{string.Join(", ", rounded.Weights.Select(w => w.ToString(CultureInfo.InvariantCulture)))}];");
        output.WriteLine($"public const double Intercept = {rounded.Intercept.ToString(CultureInfo.InvariantCulture)};");
        output.WriteLine($"public const double Threshold = {threshold.ToString("0.00", CultureInfo.InvariantCulture)};");

        Assert.Equal(AnswerDecision.Weights, rounded.Weights);
        Assert.Equal(AnswerDecision.Intercept, rounded.Intercept);
        Assert.Equal(AnswerDecision.Threshold, threshold, 6);
    }

    private static (double Penalty, double Threshold, Figures Figures) ChooseByCrossValidation(IReadOnlyList<DevelopmentFeatures> rows, int[] features)
    {
        (double Penalty, double Threshold, Figures Figures)? best = null;
        foreach (var penalty in Penalties)
        {
            var outOfFold = new double[rows.Count];
            for (var fold = 0; fold < Folds; fold++)
            {
                var training = rows.Where((r, i) => i % Folds != fold && r.Values is not null).ToList();
                var model = Fit(training, penalty, features);
                for (var i = fold; i < rows.Count; i += Folds)
                {
                    outOfFold[i] = rows[i].Values is { } values ? model.Probability([.. features.Select(j => values[j])]) : 0;
                }
            }
            var index = rows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i);
            foreach (var threshold in Thresholds)
            {
                var figures = Evaluate(rows, r => outOfFold[index[r]], threshold);
                if (best is null || figures.Utility > best.Value.Figures.Utility + 1e-9)
                {
                    best = (penalty, threshold, figures);
                }
            }
        }
        return best!.Value;
    }

    private static LogisticRegression Fit(IReadOnlyList<DevelopmentFeatures> rows, double penalty, int[] features) =>
        LogisticRegression.Fit([.. rows.Select(r => features.Select(j => r.Values![j]).ToArray())], [.. rows.Select(r => r.Right)], penalty);

    private static Figures Evaluate(IReadOnlyList<DevelopmentFeatures> rows, Func<DevelopmentFeatures, double> probability, double threshold)
    {
        bool Answered(DevelopmentFeatures r) => r.Values is not null && probability(r) >= threshold;
        return new Figures(
            rows.Count(r => r.InScope && r.Right && Answered(r)), rows.Count(r => r.InScope),
            rows.Count(r => !r.InScope && Answered(r)), rows.Count(r => !r.InScope));
    }
}
