using System;
using GradGen;

namespace Newton;

/// <summary>The two classic problems the sample minimizes; GradGen generates their gradients and Hessians.</summary>
public static partial class Problems
{
    /// <summary>Rosenbrock's banana valley, minimum 0 at (1, 1): a curved valley where gradient descent crawls.</summary>
    [Differentiable(Hessian = true)]
    public static double Rosenbrock(double x, double y)
    {
        var a = 1 - x;
        var b = y - x * x;
        return a * a + 100 * b * b;
    }

    /// <summary>
    /// Logistic regression's mean negative log-likelihood with an L2 penalty (λ/2)‖w‖², over rows of <paramref name="x"/>
    /// (<paramref name="features"/> columns, the last one a constant 1 for the intercept) and labels 0/1.
    /// </summary>
    [Differentiable(Hessian = true)]
    public static double LogisticLoss(double[] w, [NoDerivative] double[] x, [NoDerivative] double[] y, int features, double lambda)
    {
        var loss = 0.0;
        for (int i = 0; i < y.Length; i++)
        {
            var z = 0.0;
            for (int j = 0; j < features; j++) z += w[j] * x[i * features + j];
            // log(1 + eᶻ) − y·z, finite for any z.
            var softplus = z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z));
            loss += softplus - y[i] * z;
        }
        var penalty = 0.0;
        for (int j = 0; j < features; j++) penalty += w[j] * w[j];
        return loss / y.Length + 0.5 * lambda * penalty;
    }
}
