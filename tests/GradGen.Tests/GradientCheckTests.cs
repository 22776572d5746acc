using GradGen.Tests.Functions;
using Seeds;

namespace GradGen.Tests;

/// <summary>Every generated gradient against central finite differences, at several points.</summary>
public class GradientCheckTests
{
    private static readonly double[][] Pairs = [[0.7, -1.3], [-2.1, 0.4], [1.9, 2.6], [-0.45, -0.8]];
    private static readonly double[] Singles = [-2.3, -0.6, 0.35, 1.1, 2.7];
    private static readonly double[] Positives = [0.2, 0.9, 1.7, 4.2];

    [Fact]
    public void Arithmetic() =>
        CheckPairs(p => ScalarFunctions.Arithmetic(p[0], p[1]), p => ScalarFunctions.ArithmeticWithGradient(p[0], p[1]));

    [Fact]
    public void Locals_and_constants() =>
        CheckPairs(p => ScalarFunctions.LocalsAndConstants(p[0], p[1]), p => ScalarFunctions.LocalsAndConstantsWithGradient(p[0], p[1]));

    [Fact]
    public void Compound_assignments() =>
        CheckPairs(p => ScalarFunctions.CompoundAssignments(p[0], p[1]), p => ScalarFunctions.CompoundAssignmentsWithGradient(p[0], p[1]));

    [Fact]
    public void Several_paths_sum() =>
        CheckSingles(Singles, x => ScalarFunctions.SeveralPaths(x), x => ScalarFunctions.SeveralPathsWithGradient(x));

    [Fact]
    public void Returning_a_parameter() =>
        CheckPairs(p => ScalarFunctions.ReturnsParameter(p[0], p[1]), p => ScalarFunctions.ReturnsParameterWithGradient(p[0], p[1]));

    [Fact]
    public void Math_functions_of_one_argument()
    {
        CheckSingles(Singles, ScalarFunctions.Exp, x => ScalarFunctions.ExpWithGradient(x));
        CheckSingles(Positives, ScalarFunctions.Log, x => ScalarFunctions.LogWithGradient(x));
        CheckSingles(Positives, ScalarFunctions.Sqrt, x => ScalarFunctions.SqrtWithGradient(x));
        CheckSingles(Singles, ScalarFunctions.PowConstantExponent, x => ScalarFunctions.PowConstantExponentWithGradient(x));
        CheckSingles(Singles, ScalarFunctions.Sin, x => ScalarFunctions.SinWithGradient(x));
        CheckSingles(Singles, ScalarFunctions.Cos, x => ScalarFunctions.CosWithGradient(x));
        CheckSingles([-1.2, -0.6, 0.35, 1.1], ScalarFunctions.Tan, x => ScalarFunctions.TanWithGradient(x));
        CheckSingles(Singles, ScalarFunctions.Tanh, x => ScalarFunctions.TanhWithGradient(x));
        CheckSingles(Singles, ScalarFunctions.Abs, x => ScalarFunctions.AbsWithGradient(x));
    }

    [Fact]
    public void Math_functions_of_two_arguments()
    {
        CheckPairs(p => ScalarFunctions.Pow(Math.Abs(p[0]), p[1]), p => ScalarFunctions.PowWithGradient(Math.Abs(p[0]), p[1]), abs: true);
        CheckPairs(p => ScalarFunctions.Max(p[0], p[1]), p => ScalarFunctions.MaxWithGradient(p[0], p[1]));
        CheckPairs(p => ScalarFunctions.Min(p[0], p[1]), p => ScalarFunctions.MinWithGradient(p[0], p[1]));
        CheckPairs(p => ScalarFunctions.NamedArguments(p[0], p[1]), p => ScalarFunctions.NamedArgumentsWithGradient(p[0], p[1]));
    }

    [Fact]
    public void Data_parameters_get_no_gradient_and_leave_the_others_right()
    {
        foreach (var (w, scale) in new[] { (0.3, 0.5), (-0.2, 1.5) })
        {
            var (value, dw) = ScalarFunctions.DataParameterWithGradient(w, scale);
            FiniteDifference.Check(p => ScalarFunctions.DataParameter(p[0], p[1]), [w, scale], [dw], [0]);
            Assert.Equal(ScalarFunctions.DataParameter(w, scale), value);
        }
    }

    [Fact]
    public void Keyword_parameter_names() =>
        CheckPairs(p => ScalarFunctions.KeywordName(p[0], p[1]), p => ScalarFunctions.KeywordNameWithGradient(p[0], p[1]));

    [Fact]
    public void Float_functions()
    {
        foreach (var x in Singles.Select(v => (float)v))
        {
            var (value, dz) = FloatFunctions.SigmoidWithGradient(x);
            Assert.Equal(value * (1 - value), dz, 6f);
        }
        foreach (var p in Pairs)
        {
            var (a, b) = ((float)p[0], (float)p[1]);
            var (value, da, db) = FloatFunctions.MixedWithGradient(a, b);
            FiniteDifference.Check(q => FloatFunctions.Mixed((float)q[0], (float)q[1]), [a, b], [da, db], [0, 1], tolerance: 2e-3, step: 1e-3);
            Assert.Equal(FloatFunctions.Mixed(a, b), value);
        }
    }

    [Fact]
    public void Conversions_between_float_and_double()
    {
        foreach (var p in Pairs)
        {
            var x = (float)p[0];
            var (value, dx, dy) = FloatFunctions.ConversionsWithGradient(x, p[1]);
            // d/dx = eˣ·y + 1 and d/dy = eˣ, computed in double and rounded once to float.
            Assert.Equal((float)(Math.Exp(x) * p[1] + 1), dx, 5e-6f * Math.Max(1, Math.Abs(dx)));
            Assert.Equal(Math.Exp(x), dy, 1e-12);
            Assert.Equal(FloatFunctions.Conversions(x, p[1]), value);

            var (value2, dx2, dy2) = FloatFunctions.CompoundAcrossTypesWithGradient(x, p[1]);
            var acc = (float)(x * x + (double)(float)p[1]);
            Assert.Equal(acc * p[1], value2, 12);
            Assert.Equal((float)(2 * x * p[1]), dx2, 5e-6f * Math.Max(1, Math.Abs(dx2)));
            Assert.Equal(acc + p[1], dy2, 5e-6 * Math.Max(1, Math.Abs(dy2)));
        }
    }

    [Fact]
    public void Containing_types_of_every_shape()
    {
        CheckSingles(Singles, GlobalFunctions.Square, x => GlobalFunctions.SquareWithGradient(x));
        CheckSingles(Singles, Outer<int>.Inner.Cube, x => Outer<string>.Inner.CubeWithGradient(x));
        CheckPairs(p => Point.Norm(p[0], p[1]), p => Point.NormWithGradient(p[0], p[1]));
        CheckSingles(Singles, IModel.Softplus, x => IModel.SoftplusWithGradient(x));
        Assert.Equal((6.0, 2.0), Overloads.ScaleWithGradient(3.0));
        Assert.Equal((6f, 2f), Overloads.ScaleWithGradient(3f));
    }

    [Fact]
    public void Pullback_accumulates_into_the_callers_adjoints()
    {
        double dw1 = 10, dw2 = 20, db = 30;
        var value = SeedFunctions.LogisticLossPullback(-4, 3, -1, 1.5, 2.5, 1, 2.0, ref dw1, ref dw2, ref db);
        var (expected, gw1, gw2, gb) = SeedFunctions.LogisticLossWithGradient(-4, 3, -1, 1.5, 2.5, 1);

        Assert.Equal(expected, value);
        Assert.Equal(10 + 2 * gw1, dw1, 14);
        Assert.Equal(20 + 2 * gw2, dw2, 14);
        Assert.Equal(30 + 2 * gb, db, 14);
    }

    private static void CheckSingles(double[] points, Func<double, double> f, Func<double, System.Runtime.CompilerServices.ITuple> withGradient)
    {
        foreach (var x in points) FiniteDifference.Check(p => f(p[0]), [x], withGradient(x));
    }

    private static void CheckPairs(Func<double[], double> f, Func<double[], System.Runtime.CompilerServices.ITuple> withGradient, bool abs = false)
    {
        foreach (var pair in Pairs)
        {
            double[] point = abs ? [Math.Abs(pair[0]), pair[1]] : pair;
            FiniteDifference.Check(f, point, withGradient(point));
        }
    }
}
