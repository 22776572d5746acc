using GradGen.Tests.Functions;
using Newton;

namespace GradGen.Tests;

/// <summary>
/// Second order: the generated Hessian-vector product against the central difference of the generated gradient along the
/// direction (<see cref="GradientCheck.CheckHessianVector"/>), the full Hessian against textbook formulas, symmetric.
/// </summary>
public class HessianTests
{
    /// <summary>
    /// A Hessian-vector product against differences of a gradient that is itself exact: truncation O(h²·f⁗) with h ≈ 6e-6
    /// relative, and rounding O(ε·|∇f|/h) ≈ 4e-11·|∇f|.
    /// </summary>
    private static readonly GradientCheckOptions Options = new(Relative: 1e-6, Absolute: 1e-7);

    [Theory]
    [InlineData(-1.2, 1.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(0.3, -0.7)]
    public void Rosenbrock_has_its_textbook_gradient_and_Hessian(double x, double y)
    {
        var (value, gradient, hessian) = Problems.RosenbrockHessian(x, y);
        Tolerance.AssertClose((1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x), value, Tolerance.Double);
        Tolerance.AssertClose(-2 * (1 - x) - 400 * x * (y - x * x), gradient[0], Tolerance.Double, "∂f/∂x");
        Tolerance.AssertClose(200 * (y - x * x), gradient[1], Tolerance.Double, "∂f/∂y");
        Tolerance.AssertClose(1200 * x * x - 400 * y + 2, hessian[0, 0], Tolerance.Double, "∂²f/∂x²");
        Tolerance.AssertClose(-400 * x, hessian[0, 1], Tolerance.Double, "∂²f/∂x∂y");
        Tolerance.AssertClose(-400 * x, hessian[1, 0], Tolerance.Double, "∂²f/∂y∂x");
        Tolerance.AssertClose(200, hessian[1, 1], Tolerance.Double, "∂²f/∂y²");
    }

    [Fact]
    public void The_product_returns_the_value_and_gradient_of_the_pullback()
    {
        var gradient = HessianFunctions.MixedWithGradient(0.4, -0.9, 1.3);
        var product = HessianFunctions.MixedHessianVectorProduct(0.4, -0.9, 1.3, 0.5, 2.0, -1.0);
        Assert.Equal((gradient.Value, gradient.dL_da, gradient.dL_db), (product.Value, product.dL_da, product.dL_db));
    }

    public static TheoryData<double, double, double> MixedPoints => new() { { 0.4, -0.9, 1.3 }, { -1.1, 0.6, -0.4 }, { 2.0, 1.5, 0.2 }, { 0.05, -2.5, 2.2 } };

    [Theory]
    [MemberData(nameof(MixedPoints))]
    public void Mixed_functions_have_exact_Hessian_vector_products(double a, double b, double c)
    {
        double[] point = [a, b, c];
        static IReadOnlyList<double> Gradient(double[] p)
        {
            var g = HessianFunctions.MixedWithGradient(p[0], p[1], p[2]);
            return [g.dL_da, g.dL_db, g.dL_dc];
        }
        foreach (var v in Directions(3))
        {
            var hv = HessianFunctions.MixedHessianVectorProduct(a, b, c, v[0], v[1], v[2]);
            var report = GradientCheck.CheckHessianVector(Gradient, point, v, [hv.Hv_a, hv.Hv_b, hv.Hv_c], Options);
            Assert.True(report.Passed, report.ToString());
        }
        AssertSymmetricAndMatchesProducts(HessianFunctions.MixedHessian(a, b, c).Hessian, p => HessianFunctions.MixedHessian(p[0], p[1], p[2]).Gradient, point);
    }

    [Theory]
    [InlineData(0.7, 0.3, 4)]
    [InlineData(1.6, -0.4, 6)]
    [InlineData(0.2, 1.7, 3)]
    [InlineData(12.0, 0.5, 3)]
    [InlineData(0.9, 0.4, 0)]
    public void Branches_loops_and_returns_have_exact_Hessians(double x, double y, int steps)
    {
        double[] point = [x, y];
        IReadOnlyList<double> Gradient(double[] p)
        {
            var g = HessianFunctions.IteratedWithGradient(p[0], p[1], steps);
            return [g.dL_dx, g.dL_dy];
        }
        foreach (var v in Directions(2))
        {
            var hv = HessianFunctions.IteratedHessianVectorProduct(x, y, steps, v[0], v[1]);
            var report = GradientCheck.CheckHessianVector(Gradient, point, v, [hv.Hv_x, hv.Hv_y], Options);
            Assert.True(report.Passed, report.ToString());
        }
        AssertSymmetricAndMatchesProducts(HessianFunctions.IteratedHessian(x, y, steps).Hessian, Gradient, point);
    }

    [Theory]
    [InlineData(0.8, -0.6)]
    [InlineData(-1.3, 0.9)]
    public void A_call_contributes_through_the_callees_pullback_with_tangents(double x, double y)
    {
        double[] point = [x, y];
        static IReadOnlyList<double> Gradient(double[] p)
        {
            var g = HessianFunctions.ComposedWithGradient(p[0], p[1]);
            return [g.dL_dx, g.dL_dy];
        }
        foreach (var v in Directions(2))
        {
            var hv = HessianFunctions.ComposedHessianVectorProduct(x, y, v[0], v[1]);
            var report = GradientCheck.CheckHessianVector(Gradient, point, v, [hv.Hv_x, hv.Hv_y], Options);
            Assert.True(report.Passed, report.ToString());
        }
    }

    [Fact]
    public void Logistic_regression_has_the_Hessian_X_transpose_D_X_over_N_plus_lambda()
    {
        var (x, y, features) = Data(rows: 7, features: 3, seed: 5);
        double[] w = [0.3, -0.8, 1.1];
        const double lambda = 0.1;
        var (_, gradient, hessian) = Problems.LogisticLossHessian(w, x, y, features, lambda);
        Assert.Equal(4, gradient.Length); // w's three items, then lambda
        for (var j = 0; j < features; j++)
        {
            for (var k = 0; k < features; k++)
            {
                var sum = 0.0;
                for (var i = 0; i < y.Length; i++)
                {
                    var z = 0.0;
                    for (var f = 0; f < features; f++) z += w[f] * x[i * features + f];
                    var p = 1 / (1 + Math.Exp(-z));
                    sum += p * (1 - p) * x[i * features + j] * x[i * features + k];
                }
                var expected = sum / y.Length + (j == k ? lambda : 0.0);
                Tolerance.AssertClose(expected, hessian[j, k], Tolerance.Double, $"H[{j},{k}]");
            }
            // ∂²/∂wⱼ∂λ = wⱼ.
            Tolerance.AssertClose(w[j], hessian[j, 3], Tolerance.Double, $"H[{j},λ]");
        }
        Assert.Equal(0.0, hessian[3, 3]);
    }

    [Fact]
    public void A_network_over_matrices_has_exact_Hessian_vector_products_and_a_symmetric_Hessian()
    {
        var random = new Random(8);
        Matrix<double> w1 = TestMatrices.Random(random, 3, 4), b1 = TestMatrices.Random(random, 1, 4), w2 = TestMatrices.Random(random, 4, 2), x = TestMatrices.Random(random, 5, 3);
        int[] labels = [0, 1, 1, 0, 1];
        double[] point = [.. w1.Span, .. b1.Span, .. w2.Span];
        (Matrix<double>, Matrix<double>, Matrix<double>) Split(double[] p) => (new(3, 4, p[..12]), new(1, 4, p[12..16]), new(4, 2, p[16..]));
        IReadOnlyList<double> Gradient(double[] p)
        {
            var (a, b, c) = Split(p);
            var g = HessianFunctions.NetworkWithGradient(a, b, c, x, labels);
            return [.. g.dL_dw1.Span, .. g.dL_db1.Span, .. g.dL_dw2.Span];
        }
        var direction = Enumerable.Range(0, point.Length).Select(_ => random.NextDouble() - 0.5).ToArray();
        var (v1, vb, v2) = Split(direction);
        var product = HessianFunctions.NetworkHessianVectorProduct(w1, b1, w2, x, labels, v1, vb, v2);
        var report = GradientCheck.CheckHessianVector(Gradient, point, direction, [.. product.Hv_w1.Span, .. product.Hv_b1.Span, .. product.Hv_w2.Span], Options);
        Assert.True(report.Passed, report.ToString());

        var (_, gradient, hessian) = HessianFunctions.NetworkHessian(w1, b1, w2, x, labels);
        Assert.Equal((24, 24, 24), (gradient.Length, hessian.GetLength(0), hessian.GetLength(1)));
        AssertSymmetricAndMatchesProducts(hessian, Gradient, point);
    }

    [Fact]
    public void Generated_names_are_never_keywords()
    {
        // The tangent of o would be "do", the direction of oid "void": both get another name.
        var type = GeneratorHarness.Load("""
            using System;
            using GradGen;
            public static partial class K
            {
                [Differentiable(Hessian = true)]
                public static double F(double o, double oid) { var ouble = o * oid; return ouble + Math.Sin(o); }
            }
            """).GetType("K")!;
        var product = (System.Runtime.CompilerServices.ITuple)type.GetMethod("FHessianVectorProduct")!.Invoke(null, [0.5, 2.0, 1.0, 0.0, null])!;
        // H = [[−sin o, 1], [1, 0]]: H·(1, 0) = (−sin 0.5, 1).
        Tolerance.AssertClose(-Math.Sin(0.5), (double)product[3]!, Tolerance.Double, "H·v[o]");
        Tolerance.AssertClose(1, (double)product[4]!, Tolerance.Double, "H·v[oid]");
    }

    [Fact]
    public void A_direction_of_the_wrong_length_is_an_error_naming_both()
    {
        var (x, y, features) = Data(rows: 2, features: 2, seed: 1);
        var wrong = Assert.Throws<ArgumentException>(() => Problems.LogisticLossHessianVectorProduct([1, 2], x, y, features, 0.1, [1, 0, 0], 0));
        Assert.Contains("3 directions for 2 items of w", wrong.Message);
    }

    [Theory]
    [InlineData(0.5f, 1.2f)]
    [InlineData(-1.5f, -0.3f)]
    public void Float_Hessians_match_the_double_formula(float x, float y)
    {
        // f = e^{x/2}·sin y + x²y: H = [[e^{x/2} sin y / 4 + 2y, e^{x/2} cos y / 2 + 2x], [·, −e^{x/2} sin y]].
        var (_, _, h) = HessianFunctions.SingleHessian(x, y);
        double e = Math.Exp(0.5 * x), s = Math.Sin(y), c = Math.Cos(y);
        Tolerance.AssertClose(e * s / 4 + 2 * y, h[0, 0], Tolerance.Float, "H[0,0]");
        Tolerance.AssertClose(e * c / 2 + 2 * x, h[0, 1], Tolerance.Float, "H[0,1]");
        Tolerance.AssertClose(-e * s, h[1, 1], Tolerance.Float, "H[1,1]");
    }

    /// <summary>Unit vectors and a few mixed directions.</summary>
    private static IEnumerable<double[]> Directions(int n)
    {
        for (var i = 0; i < n; i++)
        {
            var unit = new double[n];
            unit[i] = 1;
            yield return unit;
        }
        var random = new Random(n);
        for (var k = 0; k < 3; k++) yield return Enumerable.Range(0, n).Select(_ => random.NextDouble() * 4 - 2).ToArray();
    }

    /// <summary>The full Hessian is symmetric, and each column is the difference of the gradient along its unit vector.</summary>
    private static void AssertSymmetricAndMatchesProducts(double[,] hessian, Func<double[], IReadOnlyList<double>> gradient, double[] point)
    {
        var n = point.Length;
        for (var k = 0; k < n; k++)
        {
            var unit = new double[n];
            unit[k] = 1;
            var column = Enumerable.Range(0, n).Select(i => hessian[i, k]).ToArray();
            var report = GradientCheck.CheckHessianVector(gradient, point, unit, column, Options);
            Assert.True(report.Passed, report.ToString());
            for (var i = 0; i < n; i++) Assert.Equal(hessian[i, k], hessian[k, i]);
        }
    }

    private static (double[] X, double[] Y, int Features) Data(int rows, int features, int seed)
    {
        var random = new Random(seed);
        var x = Enumerable.Range(0, rows * features).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var y = Enumerable.Range(0, rows).Select(_ => (double)random.Next(2)).ToArray();
        return (x, y, features);
    }
}
