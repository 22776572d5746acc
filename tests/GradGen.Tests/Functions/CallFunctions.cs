using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Calls between methods: [Differentiable] helpers, [CustomPullback] rules and [NoDerivative] constants.</summary>
public static partial class CallFunctions
{
    [Differentiable]
    public static double Product(double a, double b) => a * b;

    /// <summary>A helper in the same type, called with the same variable twice (both ref adjoints alias one local).</summary>
    [Differentiable]
    public static double Square(double x) => Product(x, x) + 1;

    /// <summary>A constant argument where the callee differentiates: the callee's adjoint for it is discarded.</summary>
    [Differentiable]
    public static double TimesThree(double x) => Product(3, x);

    /// <summary>Helpers in another type and file, one generated, one with a custom pullback, each used twice.</summary>
    [Differentiable]
    public static double Smooth(double x, double y)
    {
        var s = Activations.Softplus(x * y) + Activations.Softplus(y);
        return Activations.LogSumExp(s, x) * Activations.LogSumExp(x, 2);
    }

    /// <summary>A call inside a branch.</summary>
    [Differentiable]
    public static double BranchCall(double x) => x > 0 ? Activations.Softplus(x) : Product(x, x);

    /// <summary>round(x) · x with the straight-through rule: the derivative is round(x) + x, where the true one is round(x).</summary>
    [Differentiable]
    public static double Quantized(double x) => Activations.RoundStraightThrough(x) * x;

    /// <summary>x · stop_gradient(x): the derivative is x, not 2x.</summary>
    [Differentiable]
    public static double Detach(double x) => x * Activations.Detached(x);

    /// <summary>A network whose layers are [Differentiable] methods of another file, and a custom matrix activation.</summary>
    [Differentiable]
    public static double Network(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, Matrix<double> b2, [NoDerivative] Matrix<double> x, int[] labels)
    {
        var hidden = Activations.LeakyRelu(LayerFunctions.Dense(x, w1, b1));
        var logits = LayerFunctions.Dense(hidden, w2, b2);
        return Matrix.CategoricalCrossEntropy(Matrix.Softmax(logits), labels);
    }
}
