using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>
/// Methods with second order (<c>Hessian = true</c>): snapshot-tested, their Hessians checked against differences of the
/// gradient. Rosenbrock and a logistic regression are the Newton sample's (samples/Newton/Problems.cs), tested from there.
/// </summary>
public static partial class HessianFunctions
{
    /// <summary>Functions whose second derivatives are all different: products, quotients, powers, trigonometry.</summary>
    [Differentiable(Hessian = true)]
    public static double Mixed(double a, double b, double c)
    {
        var s = Math.Sin(a * b) / (1 + c * c);
        var t = Math.Pow(Math.Abs(b) + 1, c) * Math.Exp(-a);
        var u = Math.Atan2(a, b + 3) + Math.Sqrt(a * a + b * b + 1) * Math.Tanh(c);
        return s + t * u + Math.Log(1 + a * a) * Math.Cosh(0.1 * b) % 5;
    }

    /// <summary>Branches, a loop that carries two values, and an early return.</summary>
    [Differentiable(Hessian = true)]
    public static double Iterated(double x, double y, int steps)
    {
        if (x > 10) return x * y;
        var p = x;
        var q = y;
        for (int i = 0; i < steps; i++)
        {
            var next = p * Math.Cos(q) + 0.1 * q;
            if (next > 1) q = q * 0.5 + next * next * 0.1;
            else q = q - 0.2 * p * q;
            p = next;
        }
        return p * q + Math.Max(p, q) * x;
    }

    /// <summary>A call: the callee's pullback with tangents does its part of the Hessian.</summary>
    [Differentiable(Hessian = true)]
    public static double Composed(double x, double y) => Bump(x * y, y) * Square(x) + Square(Math.Sin(y));

    [Differentiable(Hessian = true)]
    public static double Bump(double x, double y) => Math.Exp(-x * x) * (1 + y * y * y);

    [Differentiable(Hessian = true)]
    public static double Square(double x) => x * x;

    [Differentiable(Hessian = true)]
    public static float Single(float x, float y) => MathF.Exp(0.5f * x) * MathF.Sin(y) + x * x * y;

    /// <summary>A layer over matrices: its pullback with tangents is what a caller's second order calls.</summary>
    [Differentiable(Hessian = true)]
    public static Matrix<double> Layer(Matrix<double> x, Matrix<double> w, Matrix<double> b) => Matrix.Tanh(Matrix.MatMul(x, w) + b);

    /// <summary>A small network: a layer call, a product, a loss on logits.</summary>
    [Differentiable(Hessian = true)]
    public static double Network(Matrix<double> w1, Matrix<double> b1, Matrix<double> w2, [NoDerivative] Matrix<double> x, [NoDerivative] int[] labels) =>
        Matrix.CrossEntropy(Matrix.MatMul(Layer(x, w1, b1), w2), labels) + 0.01 * Matrix.Sum(w2 * w2);
}
