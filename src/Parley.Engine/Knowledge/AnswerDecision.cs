namespace Parley.Engine.Knowledge;

/// <summary>
/// Whether the best candidate answer is given or the bot abstains: a logistic regression over <see cref="AnswerFeatures"/>
/// that estimates the chance the candidate states the fact asked for, answered when that chance reaches
/// <see cref="Threshold"/>.
/// </summary>
public static class AnswerDecision
{
    // Fitted for the built-in sentence model on the development half of the visitor evaluation set, never the held-out
    // half: tests/Parley.Server.Tests/Features/Knowledge/AnswerDecisionFitTests.cs reads the candidates' features
    // (Visitors/development-features.tsv, written by the evaluation on that half), picks the L2 penalty and the threshold
    // by 5-fold cross-validation, fits on the whole half, and fails when these numbers differ from what it fits. A
    // different model, or a change to the features, needs a new fit (docs/knowledge.md).
    public static readonly double[] Weights = [5.918, 1.714, -0.937];
    public const double Intercept = -1.958;
    public const double Threshold = 0.60;

    /// <summary>The estimated chance that the candidate answers the question.</summary>
    public static double Probability(AnswerFeatures features) => Probability(Weights, Intercept, features.ToArray());

    public static double Probability(IReadOnlyList<double> weights, double intercept, IReadOnlyList<double> values)
    {
        var z = intercept;
        for (var i = 0; i < weights.Count; i++)
        {
            z += weights[i] * values[i];
        }
        return 1 / (1 + Math.Exp(-z));
    }

    public static bool Answers(AnswerFeatures features) => Probability(features) >= Threshold;
}
