using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>Branches: only the taken branch is differentiated.</summary>
public static partial class BranchFunctions
{
    [Differentiable]
    public static double Piecewise(double x)
    {
        double y;
        if (x > 1)
        {
            y = x * x;
        }
        else
        {
            y = 2 * x - 1;
        }
        return 3 * y;
    }

    [Differentiable]
    public static double ElseIf(double x, double a)
    {
        var y = a;
        if (x < -1) y = -x * a;
        else if (x < 1) y = x * x * a;
        else y = Math.Log(x) + a;
        return y * x;
    }

    [Differentiable]
    public static double Conditional(double x, double y) => x > y ? x * y : Math.Sin(x) + y;

    [Differentiable]
    public static double EarlyReturn(double x)
    {
        if (x <= 0) return 0;
        var s = Math.Sqrt(x);
        return s * x;
    }

    /// <summary>The untaken side would be NaN (log of a negative, 1/0): nothing of it may leak into the gradient.</summary>
    [Differentiable]
    public static double GuardedLog(double x) => x > 0 ? Math.Log(x) * Math.Sqrt(x) : x / (1 - x);

    [Differentiable]
    public static double Clamped(double x, [NoDerivative] double low, [NoDerivative] double high)
    {
        if (x < low || !(x <= high)) return Math.Max(low, Math.Min(x, high));
        return x * x;
    }

    [Differentiable]
    public static double Nested(double x, double y)
    {
        double a = x, b = y;
        if (x > 0)
        {
            if (y > 0)
            {
                a = x * y;
            }
            else
            {
                b = x - y;
            }
            a = a + Math.Exp(b);
        }
        return a * b;
    }

    [Differentiable]
    public static float FloatBranch(float x) => x > 0f ? x * x : -x;

    [Differentiable]
    public static double MatrixBranch(Matrix<double> w, [NoDerivative] Matrix<double> x, [NoDerivative] double useTanh)
    {
        var z = Matrix.MatMul(x, w);
        Matrix<double> a;
        if (useTanh > 0)
        {
            a = Matrix.Tanh(z);
        }
        else
        {
            a = Matrix.Sigmoid(z);
        }
        return Matrix.Sum(a * a);
    }
}
