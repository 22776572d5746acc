using System;
using GradGen;

namespace GradGen.Tests.Functions;

/// <summary>The same rules in float, and conversions between float and double.</summary>
public static partial class FloatFunctions
{
    [Differentiable]
    public static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    [Differentiable]
    public static float Mixed(float a, float b)
    {
        float s = MathF.Sqrt(a * a + b * b);
        return MathF.Tanh(s) + MathF.Log(1 + a * a) * MathF.Pow(b, 2);
    }

    /// <summary>float → double implicitly (Math.Exp), double → float by a cast.</summary>
    [Differentiable]
    public static float Conversions(float x, double y)
    {
        double wide = Math.Exp(x) * y;
        float narrow = (float)wide;
        narrow += x;
        return narrow;
    }

    /// <summary>A float accumulator updated with a double value: C# computes it in double.</summary>
    [Differentiable]
    public static double CompoundAcrossTypes(float x, double y)
    {
        float acc = x * x;
        acc += (float)y;
        return acc * y;
    }
}
