namespace Parley.Server.Tests.Features.Knowledge;

/// <summary>
/// A logistic regression with an L2 penalty, fitted by Newton's method on standardised features; the weights it returns
/// apply to the raw features. Small enough to fit the answer decision's handful of features on a few hundred rows.
/// </summary>
public sealed record LogisticRegression(double[] Weights, double Intercept)
{
    public double Probability(IReadOnlyList<double> x)
    {
        var z = Intercept;
        for (var j = 0; j < Weights.Length; j++)
        {
            z += Weights[j] * x[j];
        }
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>Fits <paramref name="y"/> on <paramref name="x"/> with penalty <paramref name="lambda"/> on the standardised weights (not the intercept).</summary>
    public static LogisticRegression Fit(IReadOnlyList<double[]> x, IReadOnlyList<bool> y, double lambda)
    {
        var n = x.Count;
        var d = x[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            mean[j] = x.Average(r => r[j]);
            var sd = Math.Sqrt(x.Average(r => (r[j] - mean[j]) * (r[j] - mean[j])));
            scale[j] = sd > 1e-12 ? sd : 1;
        }
        var z = x.Select(r => r.Select((v, j) => (v - mean[j]) / scale[j]).Prepend(1.0).ToArray()).ToList();
        var beta = new double[d + 1];
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var gradient = new double[d + 1];
            var hessian = new double[d + 1, d + 1];
            for (var i = 0; i < n; i++)
            {
                var p = 1 / (1 + Math.Exp(-z[i].Select((v, j) => v * beta[j]).Sum()));
                var w = Math.Max(p * (1 - p), 1e-10);
                for (var a = 0; a <= d; a++)
                {
                    gradient[a] += (p - (y[i] ? 1 : 0)) * z[i][a];
                    for (var b = 0; b <= d; b++)
                    {
                        hessian[a, b] += w * z[i][a] * z[i][b];
                    }
                }
            }
            for (var a = 1; a <= d; a++)
            {
                gradient[a] += lambda * beta[a];
                hessian[a, a] += lambda;
            }
            var step = Solve(hessian, gradient);
            for (var a = 0; a <= d; a++)
            {
                beta[a] -= step[a];
            }
            if (step.Max(Math.Abs) < 1e-10)
            {
                break;
            }
        }
        var weights = new double[d];
        var intercept = beta[0];
        for (var j = 0; j < d; j++)
        {
            weights[j] = beta[j + 1] / scale[j];
            intercept -= weights[j] * mean[j];
        }
        return new LogisticRegression(weights, intercept);
    }

    /// <summary>Solves a x = b by Gaussian elimination with partial pivoting.</summary>
    private static double[] Solve(double[,] a, double[] b)
    {
        var n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            for (var k = 0; k < n; k++)
            {
                (m[col, k], m[pivot, k]) = (m[pivot, k], m[col, k]);
            }
            (v[col], v[pivot]) = (v[pivot], v[col]);
            for (var r = col + 1; r < n; r++)
            {
                var f = m[r, col] / m[col, col];
                for (var k = col; k < n; k++)
                {
                    m[r, k] -= f * m[col, k];
                }
                v[r] -= f * v[col];
            }
        }
        var x = new double[n];
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = v[r];
            for (var k = r + 1; k < n; k++)
            {
                sum -= m[r, k] * x[k];
            }
            x[r] = sum / m[r, r];
        }
        return x;
    }
}
