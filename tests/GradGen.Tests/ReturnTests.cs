namespace GradGen.Tests;

/// <summary>
/// A <c>return</c> at any place outside loops: guard clauses, returns nested in branches that do not always return,
/// returns in else-if chains. Each program is checked on every path by value and finite differences.
/// </summary>
public class ReturnTests
{
    private static readonly double[][] s_points = [[1.3, 0.7], [1.3, -0.6], [-0.9, 1.1], [-1.2, -0.8], [0.45, 2.1], [2.2, 0.35], [-2.1, -0.45], [0.8, -0.9], [0.6, 0.3]];

    [Fact]
    public void Return_nested_in_a_branch_that_does_not_always_return() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b)
        {
            if (b > 0) { if (a > 0) return a; }
            return 2 * b;
        }
        """, s_points);

    [Fact]
    public void Value_and_gradient_of_the_issue_example_at_one_one()
    {
        var type = ScalarPrograms.Compile("""
            [Differentiable] public static double F(double a, double b)
            {
                if (b > 0) { if (a > 0) return a; }
                return 2 * b;
            }
            """);
        var result = (System.Runtime.CompilerServices.ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [1.0, 1.0, null])!;
        Assert.Equal((1.0, 1.0, 0.0), ((double)result[0]!, (double)result[1]!, (double)result[2]!));
    }

    [Fact]
    public void Return_in_an_else_if_after_an_assignment() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b)
        {
            var x = b;
            if (a > 1) x = a * b;
            else if (b < 0) return a * a;
            return x + a;
        }
        """, s_points);

    [Fact]
    public void Returns_at_several_depths_with_work_between() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b)
        {
            var s = a * b;
            if (a > 0)
            {
                s = s + Math.Exp(a);
                if (b > 0)
                {
                    if (a > b) return s * 2;
                    s = s - b;
                }
                s = s * a;
            }
            else
            {
                if (b < -0.7) return b * b * b;
            }
            if (s > 3) return Math.Sin(s);
            return s + b;
        }
        """, s_points);

    [Fact]
    public void Sequential_ifs_that_may_return_stay_linear()
    {
        // Ifs returning on one path inside a nested branch: reading the rest once per 'if' (a guard on the returned flag)
        // keeps the generated code linear in the number of ifs, where copying the rest into both sides would double it each time.
        static string Source(int ifs) => "[Differentiable] public static double F(double a, double b)\n{\n    var s = a;\n"
            + string.Concat(Enumerable.Range(0, ifs).Select(i => $"    if (a > {i}) {{ s = s + a; if (b > {i}) return s * b; }}\n"))
            + "    return s - b;\n}";
        var type = ScalarPrograms.Compile(Source(12));
        foreach (var point in s_points.Append([25.5, 30.5]).Append([25.5, 10.5]).Append([3.5, 2.5])) ScalarPrograms.Check(type, "F", point);

        static int Size(int ifs) => GeneratorHarness.Run("using GradGen;\npublic static partial class P\n{\n" + Source(ifs) + "\n}").Result.GeneratedTrees.Single().Length;
        Assert.InRange(Size(24) / (double)Size(12), 1.5, 2.5);
    }

    [Fact]
    public void Both_sides_return_inside_a_block() => ScalarPrograms.Check("""
        [Differentiable] public static double F(double a, double b)
        {
            {
                if (a > 0) { return a * b; } else { var t = a - b; return t * t; }
            }
        }
        """, s_points);

    [Fact]
    public void Matrix_values_returned_from_nested_branches()
    {
        var type = GeneratorHarness.Load("""
            using GradGen;
            public static partial class P
            {
                [Differentiable] public static double F(Matrix<double> w, double a)
                {
                    var h = Layer(w, a);
                    if (a > 0) { if (a > 1) return Matrix.Sum(h) * a; }
                    return Matrix.Sum(h * h);
                }

                // A layer (matrix result) whose result is returned from a nested branch.
                [Differentiable] public static Matrix<double> Layer(Matrix<double> w, double a)
                {
                    if (a < 1) { if (a > 0) return Matrix.Tanh(w) * a; }
                    return Matrix.Sigmoid(w);
                }
            }
            """).GetType("P")!;
        foreach (var a in new[] { -1.0, 0.5, 2.0 })
        {
            var w = Matrix<double>.FromRows([[0.1, -0.4], [0.3, 0.8]]);
            var result = (System.Runtime.CompilerServices.ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [w, a, null])!;
            LayerTests.AssertFiniteDifferences(m => (double)type.GetMethod("F")!.Invoke(null, [m, a])!, w, (Matrix<double>)result[1]!);
        }
    }

    [Fact]
    public void Float_returns_and_a_throw_inside_a_loop()
    {
        var type = ScalarPrograms.Compile("""
        [Differentiable] public static float F(float a, float b)
        {
            var s = a;
            for (int i = 0; i < 3; i++)
            {
                if (s > 100) throw new InvalidOperationException("diverged");
                s = s * b + a;
            }
            if (b > 0) { if (s > a) return s * s; }
            else return s - b;
            return a * b;
        }
        """);
        // Float: finite differences with a step of 1e-3 (see MathRuleTests).
        foreach (var point in new double[][] { [0.7, 1.3], [0.7, -0.4], [-0.5, 0.9] }) ScalarPrograms.Check(type, "F", point, tolerance: 2e-3, step: 1e-3);
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => type.GetMethod("FWithGradient")!.Invoke(null, [3f, 9f, null]));
        Assert.IsType<InvalidOperationException>(thrown.InnerException);
    }

    [Fact]
    public void A_layer_with_a_throwing_guard_and_a_conditional_throw()
    {
        var type = GeneratorHarness.Load("""
            using System;
            using GradGen;
            public static partial class P
            {
                [Differentiable] public static double F(Matrix<double> w, double a) => Matrix.Sum(Layer(w, a) * w);

                [Differentiable] public static Matrix<double> Layer(Matrix<double> w, double a)
                {
                    if (a > 10) throw new ArgumentOutOfRangeException(nameof(a));
                    return a > 0 ? Matrix.Tanh(w) * a : a < -10 ? throw new ArgumentException("too small") : Matrix.Sigmoid(w);
                }
            }
            """).GetType("P")!;
        foreach (var a in new[] { -1.0, 0.5 })
        {
            var w = Matrix<double>.FromRows([0.1, -0.4], [0.3, 0.8]);
            var result = (System.Runtime.CompilerServices.ITuple)type.GetMethod("FWithGradient")!.Invoke(null, [w, a, null])!;
            LayerTests.AssertFiniteDifferences(m => (double)type.GetMethod("F")!.Invoke(null, [m, a])!, w, (Matrix<double>)result[1]!);
        }
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => type.GetMethod("FWithGradient")!.Invoke(null, [Matrix<double>.FromRows([1.0]), 11.0, null]));
        Assert.IsType<ArgumentOutOfRangeException>(thrown.InnerException);
        thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => type.GetMethod("FWithGradient")!.Invoke(null, [Matrix<double>.FromRows([1.0]), -11.0, null]));
        Assert.IsType<ArgumentException>(thrown.InnerException);
    }
}
