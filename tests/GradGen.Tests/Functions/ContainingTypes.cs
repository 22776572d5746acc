using System;
using GradGen;

/// <summary>A type in the global namespace.</summary>
public static partial class GlobalFunctions
{
    [Differentiable]
    public static double Square(double x) => x * x;
}

namespace GradGen.Tests.Functions
{
    public partial class Outer<T>
    {
        internal partial struct Inner
        {
            [Differentiable]
            internal static double Cube(double x) => x * x * x;
        }
    }

    public partial record Point(double X, double Y)
    {
        [Differentiable]
        public static double Norm(double x, double y) => Math.Sqrt(x * x + y * y);
    }

    public partial interface IModel
    {
        [Differentiable]
        public static double Softplus(double x) => Math.Log(1 + Math.Exp(x));
    }

    public static partial class Overloads
    {
        [Differentiable]
        public static double Scale(double x) => 2 * x;

        [Differentiable]
        public static float Scale(float x) => 2 * x;
    }
}
