using System;
using GradGen;

namespace Seeds;

/// <summary>The seeds' forward passes (seed 001: the chain rule and logistic regression; seed 002: one ReLU neuron).</summary>
public static partial class SeedFunctions
{
    /// <summary>Seed 001, case 1: f(x) = (eˣ + x)².</summary>
    [Differentiable]
    public static double ChainRule(double x)
    {
        double g = Math.Exp(x) + x;
        return g * g;
    }

    /// <summary>Seed 001, case 2 (several paths): f(x) = x²(3x + 1) − sin(x²), written as the seed decomposes it: f = h·g − sin(h).</summary>
    [Differentiable]
    public static double MultiVariableChainRule(double x)
    {
        double h = x * x;
        double g = 3 * x + 1;
        return h * g - Math.Sin(h);
    }

    [Differentiable]
    public static double LogisticLoss(double w1, double w2, double b, [NoDerivative] double x1, [NoDerivative] double x2, [NoDerivative] double y)
    {
        double w1x1 = w1 * x1;
        double w2x2 = w2 * x2;
        double z = w1x1 + w2x2 + b;
        double yhat = 1 / (1 + Math.Exp(-z));
        return -y * Math.Log(yhat) - (1 - y) * Math.Log(1 - yhat);
    }

    /// <summary>The prediction ŷ of the same graph, to check the seed's ŷ = 0.6225.</summary>
    public static double LogisticPrediction(double w1, double w2, double b, double x1, double x2) => 1 / (1 + Math.Exp(-(w1 * x1 + w2 * x2 + b)));

    [Differentiable]
    public static double ReluNeuron(double x0, double x1, double x2, double w0, double w1, double w2, double b)
    {
        double xw0 = x0 * w0;
        double xw1 = x1 * w1;
        double xw2 = x2 * w2;
        double z = xw0 + xw1 + xw2 + b;
        return Math.Max(z, 0);
    }
}
