using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Helpers that the methods in CallFunctions call from another type and file.</summary>
public static partial class Activations
{
    /// <summary>A [Differentiable] helper: callers' backwards call its generated pullback.</summary>
    [Differentiable]
    public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    /// <summary>
    /// log(eᵃ + eᵇ) computed stably, with the derivative written by hand: ∂/∂a = softmax(a, b)₀. The chain rule through
    /// the body would give the same numbers here; the rule is what a library routine without readable code would need.
    /// </summary>
    [CustomPullback(nameof(LogSumExpPullback))]
    public static double LogSumExp(double a, double b)
    {
        var m = Math.Max(a, b);
        return m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
    }

    public static double LogSumExpPullback(double a, double b, double dL_dresult, ref double dL_da, ref double dL_db)
    {
        var value = LogSumExp(a, b);
        dL_da += dL_dresult * Math.Exp(a - value);
        dL_db += dL_dresult * Math.Exp(b - value);
        return value;
    }

    /// <summary>Leaky ReLU over a matrix, written element by element (which GradGen cannot read), with its own pullback.</summary>
    [CustomPullback(typeof(ActivationRules), nameof(ActivationRules.LeakyReluPullback))]
    public static Matrix<double> LeakyRelu(Matrix<double> z)
    {
        var result = z.ZerosLike();
        for (var i = 0; i < z.Rows; i++)
        {
            for (var j = 0; j < z.Columns; j++)
            {
                result[i, j] = z[i, j] > 0 ? z[i, j] : 0.01 * z[i, j];
            }
        }
        return result;
    }

    /// <summary>Rounding with the straight-through estimator: the rule passes the adjoint through as if round were the identity.</summary>
    [CustomPullback(nameof(RoundStraightThroughPullback))]
    public static double RoundStraightThrough(double x) => Math.Round(x);

    public static double RoundStraightThroughPullback(double x, double dL_dresult, ref double dL_dx)
    {
        dL_dx += dL_dresult;
        return Math.Round(x);
    }

    /// <summary>A constant of the gradient: calls see its result as data.</summary>
    [NoDerivative]
    public static double Detached(double x) => x;
}

public static class ActivationRules
{
    public static Matrix<double> LeakyReluPullback(Matrix<double> z, Matrix<double> dL_dresult, ref Matrix<double> dL_dz)
    {
        var slope = z.ZerosLike();
        for (var i = 0; i < z.Rows; i++)
        {
            for (var j = 0; j < z.Columns; j++)
            {
                slope[i, j] = z[i, j] > 0 ? 1 : 0.01;
            }
        }
        dL_dz += dL_dresult * slope;
        return Activations.LeakyRelu(z);
    }
}
