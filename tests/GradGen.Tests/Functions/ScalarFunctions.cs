using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>One [Differentiable] method per supported scalar construct; each is snapshot-tested and checked by finite differences.</summary>
public static partial class ScalarFunctions
{
    private const double Half = 0.5;

    [Differentiable]
    public static double Arithmetic(double a, double b) => (a + b) * (a - b) / (1 + b * b) - -a;

    [Differentiable]
    public static double LocalsAndConstants(double x, double y)
    {
        const double scale = 3;
        double sum = x + y;
        double product = sum * scale * Half;
        double unused = product * product;
        return product - 2 * x + Math.PI;
    }

    [Differentiable]
    public static double CompoundAssignments(double x, double y)
    {
        double acc = x;
        acc += y * y;
        acc -= x / 4;
        acc *= y;
        acc /= 1 + x * x;
        x = acc * 2;
        return x;
    }

    /// <summary>x reaches the result along three paths; their contributions sum.</summary>
    [Differentiable]
    public static double SeveralPaths(double x) => x * x + Math.Sin(x) * x + x;

    [Differentiable]
    public static double ReturnsParameter(double x, double y) => x;

    [Differentiable]
    public static double Exp(double x) => Math.Exp(x);

    [Differentiable]
    public static double Log(double x) => Math.Log(x);

    [Differentiable]
    public static double Sqrt(double x) => Math.Sqrt(x);

    [Differentiable]
    public static double Pow(double x, double y) => Math.Pow(x, y);

    [Differentiable]
    public static double PowConstantExponent(double x) => Math.Pow(x, 3);

    [Differentiable]
    public static double Sin(double x) => Math.Sin(x);

    [Differentiable]
    public static double Cos(double x) => Math.Cos(x);

    [Differentiable]
    public static double Tan(double x) => Math.Tan(x);

    [Differentiable]
    public static double Tanh(double x) => Math.Tanh(x);

    [Differentiable]
    public static double Abs(double x) => Math.Abs(x);

    [Differentiable]
    public static double Max(double x, double y) => Math.Max(x, y);

    [Differentiable]
    public static double Min(double x, double y) => Math.Min(x, y);

    /// <summary>Named arguments in a different order than the parameters.</summary>
    [Differentiable]
    public static double NamedArguments(double x, double y) => Math.Pow(y: 2, x: x + y);

    /// <summary>scale is data: no adjoint work is emitted for it or for what depends only on it.</summary>
    [Differentiable]
    public static double DataParameter(double w, [NoDerivative] double scale)
    {
        double factor = scale * scale + 1;
        return Math.Exp(w * factor);
    }

    /// <summary>A parameter whose name is a C# keyword.</summary>
    [Differentiable]
    public static double KeywordName(double @base, double @in) => @base * @in;
}
