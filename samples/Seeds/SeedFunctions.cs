using System;
using GradGen;

namespace Seeds;

/// <summary>The forward passes of seeds 001 and 002, written as plain C#.</summary>
public static partial class SeedFunctions
{
    /// <summary>Seed 001, case 1: f(x) = (eˣ + x)².</summary>
    [Differentiable]
    public static double Square(double x)
    {
        double g = Math.Exp(x) + x;
        return g * g;
    }

    /// <summary>Seed 001, case 2 (several paths): f(x) = x²(3x + 1) − sin(x²).</summary>
    [Differentiable]
    public static double TwoPaths(double x)
    {
        double h = x * x;
        double g = 3 * x + 1;
        return h * g - Math.Sin(h);
    }

    /// <summary>Seed 001's logistic-regression graph: sigmoid and log loss.</summary>
    [Differentiable]
    public static double LogisticLoss(double w1, double w2, double b, [NoDerivative] double x1, [NoDerivative] double x2, [NoDerivative] double y)
    {
        double z = w1 * x1 + w2 * x2 + b;
        double yhat = 1 / (1 + Math.Exp(-z));
        return -y * Math.Log(yhat) - (1 - y) * Math.Log(1 - yhat);
    }

    /// <summary>Seed 002's single ReLU neuron: y = max(x·w + b, 0).</summary>
    [Differentiable]
    public static double Neuron(double x0, double x1, double x2, double w0, double w1, double w2, double b)
    {
        double z = x0 * w0 + x1 * w1 + x2 * w2 + b;
        return Math.Max(z, 0);
    }
}
