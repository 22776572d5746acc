using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Loops: reverse-mode through for and while loops, with the values each iteration overwrites restored in reverse.</summary>
public static partial class LoopFunctions
{
    /// <summary>Σ xᵢ², accumulated: the array gets an array adjoint.</summary>
    [Differentiable]
    public static double SumOfSquares(double[] xs)
    {
        var sum = 0.0;
        for (var i = 0; i < xs.Length; i++)
        {
            sum += xs[i] * xs[i];
        }
        return sum;
    }

    /// <summary>A neuron over an array input: σ(Σ wᵢxᵢ + b), data x.</summary>
    [Differentiable]
    public static double Neuron(double[] w, double b, [NoDerivative] double[] x)
    {
        var z = b;
        for (var i = 0; i < w.Length; i++) z += w[i] * x[i];
        return 1 / (1 + Math.Exp(-z));
    }

    /// <summary>
    /// Clad #1865's shape: a divisor inside a loop, and both the quotient and the divisor overwritten every iteration.
    /// The backward must read each iteration's own x and y, in reverse order.
    /// </summary>
    [Differentiable]
    public static double RepeatedDivision(double x, double y, int n)
    {
        for (var i = 0; i < n; i++)
        {
            x = x / y;
            y = y + x;
        }
        return x * y;
    }

    /// <summary>Tangent #66's shape: log-sum-exp written with loops. The gradient is softmax(xs), never zero.</summary>
    [Differentiable]
    public static double LogSumExp(double[] xs)
    {
        var max = xs[0];
        for (var i = 1; i < xs.Length; i++) max = Math.Max(max, xs[i]);
        var sum = 0.0;
        for (var i = 0; i < xs.Length; i++) sum += Math.Exp(xs[i] - max);
        return max + Math.Log(sum);
    }

    /// <summary>A fixed number of iterations of an update rule (Newton's method for √a).</summary>
    [Differentiable]
    public static double NewtonSqrt(double a, int steps)
    {
        var x = a;
        for (var k = 0; k < steps; k++) x = 0.5 * (x + a / x);
        return x;
    }

    /// <summary>A while loop whose trip count depends on the data: halve until at most 1, then scale.</summary>
    [Differentiable]
    public static double HalveWhileLarge(double x, double w)
    {
        var y = x * w;
        var scale = 1.0;
        while (y > 1)
        {
            y = y / 2;
            scale = scale * 1.5;
        }
        return y * scale + w;
    }

    /// <summary>Horner's rule over the coefficients, counting down: p(x) = Σ cᵢxⁱ.</summary>
    [Differentiable]
    public static double Polynomial(double[] c, double x)
    {
        var p = 0.0;
        for (var i = c.Length - 1; i >= 0; i--) p = p * x + c[i];
        return p;
    }

    /// <summary>Index arithmetic: Σ (xᵢ₊₁ − xᵢ)², and a branch inside the loop.</summary>
    [Differentiable]
    public static double Roughness(double[] xs)
    {
        var total = 0.0;
        for (var i = 0; i + 1 < xs.Length; i++)
        {
            var d = xs[i + 1] - xs[i];
            if (d > 0) total += d * d;
            else total += 0.5 * d * d;
        }
        return total;
    }

    /// <summary>Nested loops: Σᵢ Σⱼ xᵢ·xⱼ·wⱼ, the inner loop's tapes saved per outer iteration.</summary>
    [Differentiable]
    public static double Nested(double[] xs, double[] w)
    {
        var total = 0.0;
        for (var i = 0; i < xs.Length; i++)
        {
            var row = 0.0;
            for (var j = 0; j < w.Length; j++) row += xs[i] * xs[j] * w[j];
            total += Math.Tanh(row);
        }
        return total;
    }

    /// <summary>The counter in the arithmetic: Σ i·xᵢ² in float.</summary>
    [Differentiable]
    public static float Weighted(float[] xs)
    {
        var sum = 0f;
        for (var i = 0; i < xs.Length; i++) sum += i * xs[i] * xs[i];
        return sum;
    }

    /// <summary>Repeated layers over an array of weight matrices: h ← tanh(h·Wₗ), loss ½Σh².</summary>
    [Differentiable]
    public static double DeepTanh(Matrix<double>[] weights, [NoDerivative] Matrix<double> x)
    {
        var h = x;
        for (var l = 0; l < weights.Length; l++) h = Matrix.Tanh(Matrix.MatMul(h, weights[l]));
        return 0.5 * Matrix.Sum(h * h);
    }

    /// <summary>A loop inside a branch, and a while condition that computes (x² > 2 each iteration).</summary>
    [Differentiable]
    public static double LoopInBranch(double x, double w)
    {
        var y = x;
        if (w > 0)
        {
            while (y * y > 2) y = y / (1 + w);
        }
        else
        {
            for (var i = 0; i < 3; i++) y = y * w + 1;
        }
        return y * w;
    }

    /// <summary>A call inside a loop: the callee's pullback runs once per iteration, in reverse.</summary>
    [Differentiable]
    public static double SoftplusSum(double[] xs, double scale)
    {
        var total = 0.0;
        for (var i = 0; i < xs.Length; i++) total += Activations.Softplus(scale * xs[i]);
        return total;
    }
}
