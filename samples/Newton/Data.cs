using System;

namespace Newton;

/// <summary>A synthetic binary classification problem: two overlapping Gaussian clouds in the plane.</summary>
public static class Data
{
    /// <summary>Two features and a constant 1 (the intercept).</summary>
    public const int Features = 3;

    /// <summary>
    /// Rows of (x₁, x₂, 1), flattened, and labels 0/1; the clouds overlap, so the fit has a finite optimum. x₂ is measured
    /// in tenths (as raw data often is, unstandardized): the loss's curvature differs a hundredfold between directions, which slows
    /// gradient descent down and not Newton.
    /// </summary>
    public static (double[] X, double[] Y) TwoClasses(int rows, int seed)
    {
        var random = new Random(seed);
        var x = new double[rows * Features];
        var y = new double[rows];
        for (var i = 0; i < rows; i++)
        {
            y[i] = i % 2;
            var center = y[i] == 1 ? (1.0, 0.5) : (-0.5, -1.0);
            x[i * Features] = center.Item1 + Normal(random) * 1.2;
            x[i * Features + 1] = (center.Item2 + Normal(random) * 1.2) * 10;
            x[i * Features + 2] = 1;
        }
        return (x, y);
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
