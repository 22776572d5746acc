using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>
/// One [Differentiable] method per Math/MathF and generic-math function with a rule; each is snapshot-tested and checked
/// by finite differences in double and (the same file with 'double' replaced by 'float') in float, inside its domain and
/// near its edges (MathRuleTests). Written with 'double' only, so that the float copy is a plain text replacement.
/// </summary>
public static partial class MathFunctions
{
    [Differentiable] public static double Sinh(double x) => Math.Sinh(x);
    [Differentiable] public static double Cosh(double x) => Math.Cosh(x);
    [Differentiable] public static double Asin(double x) => Math.Asin(x);
    [Differentiable] public static double Acos(double x) => Math.Acos(x);
    [Differentiable] public static double Atan(double x) => Math.Atan(x);
    [Differentiable] public static double Atan2(double y, double x) => Math.Atan2(y, x);
    [Differentiable] public static double Asinh(double x) => Math.Asinh(x);
    [Differentiable] public static double Acosh(double x) => Math.Acosh(x);
    [Differentiable] public static double Atanh(double x) => Math.Atanh(x);
    [Differentiable] public static double LogBase(double x, double b) => Math.Log(x, b);
    [Differentiable] public static double Log2(double x) => Math.Log2(x);
    [Differentiable] public static double Log10(double x) => Math.Log10(x);
    [Differentiable] public static double Cbrt(double x) => Math.Cbrt(x);
    [Differentiable] public static double Clamp(double x, double low, double high) => double.Clamp(x, low, high);
    [Differentiable] public static double FusedMultiplyAdd(double a, double b, double c) => Math.FusedMultiplyAdd(a, b, c);
    [Differentiable] public static double ScaleB(double x, int n) => Math.ScaleB(x, n) * x;
    [Differentiable] public static double PowBoth(double x, double y) => Math.Pow(x, y);
    [Differentiable] public static double CopySign(double x, double y) => Math.CopySign(x * x + x, y);
    [Differentiable] public static double PiecewiseConstant(double x) => (Math.Floor(x) + Math.Ceiling(x) + Math.Round(x) + Math.Round(x, 1) + Math.Truncate(x) + Math.Sign(x)) * x;
    [Differentiable] public static double GenericExp(double x) => double.Exp(x) + double.Exp2(x) + double.Exp10(x / 4);
    [Differentiable] public static double GenericHypot(double x, double y) => double.Hypot(x, y);
    [Differentiable] public static double GenericTrig(double x) => double.Sin(x) * double.Cos(x) + double.Tanh(x) + double.Sqrt(x * x + 1);
}
