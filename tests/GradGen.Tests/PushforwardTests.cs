using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>Forward mode: the pushforward along a direction is the gradient dotted with it (and the seed's numbers).</summary>
public class PushforwardTests
{
    [Fact]
    public void Seed_001_logistic_regression_along_each_axis_gives_the_gradient()
    {
        // dL/dw1 = -0.5663, dL/dw2 = -0.9439, dL/db = -0.3775 (seed 001), one forward pass per direction.
        var (value, dw1) = ForwardFunctions.LogisticPushforward(-4, 3, -1, 1.5, 2.5, 1, 1, 0, 0);
        var (_, dw2) = ForwardFunctions.LogisticPushforward(-4, 3, -1, 1.5, 2.5, 1, 0, 1, 0);
        var (_, db) = ForwardFunctions.LogisticPushforward(-4, 3, -1, 1.5, 2.5, 1, 0, 0, 1);
        Assert.Equal((0.4741, -0.5663, -0.9439, -0.3775), (Math.Round(value, 4), Math.Round(dw1, 4), Math.Round(dw2, 4), Math.Round(db, 4)));
    }

    [Theory]
    [InlineData(0.7f, 0.3f, 4)]
    [InlineData(2.5f, 0.9f, 6)]
    [InlineData(0.2f, 1.7f, 3)]
    public void Pushforward_is_the_gradient_along_the_direction_in_float(float x, float rate, int steps)
    {
        var (value, dx, drate) = ForwardFunctions.IteratedWithGradient(x, rate, steps);
        var (forward, tangent) = ForwardFunctions.IteratedPushforward(x, rate, steps, 0.6f, -1.3f);
        Assert.Equal(value, forward);
        Tolerance.AssertClose(0.6 * dx - 1.3 * drate, tangent, Tolerance.Float, "tangent");
        Assert.Throws<ArgumentOutOfRangeException>(() => ForwardFunctions.IteratedPushforward(x, -rate, steps, 1, 0));
    }

    [Theory]
    [InlineData(0.3, -1.2)]
    [InlineData(-0.8, 0.4)]
    public void A_call_is_pushed_forward_through_the_callee(double a, double b)
    {
        var (value, da, db) = ForwardFunctions.ComposedWithGradient(a, b);
        var (forward, tangent) = ForwardFunctions.ComposedPushforward(a, b, 0.25, -2.0);
        Tolerance.AssertClose(value, forward, Tolerance.Double, "value");
        Tolerance.AssertClose(0.25 * da - 2.0 * db, tangent, Tolerance.Double, "tangent");
    }

    [Fact]
    public void The_runtime_gradient_check_takes_pushforwards()
    {
        double[] point = [0.3, -1.2], direction = [0.25, -2.0];
        var (_, tangent) = ForwardFunctions.ComposedPushforward(point[0], point[1], direction[0], direction[1]);
        var report = GradientCheck.CheckDirectional(p => ForwardFunctions.Composed(p[0], p[1]), point, direction, tangent);
        Assert.True(report.Passed, report.ToString());
        Assert.False(GradientCheck.CheckDirectional(p => ForwardFunctions.Composed(p[0], p[1]), point, direction, tangent * 1.01).Passed);
    }

    [Fact]
    public void An_array_has_a_tangent_array()
    {
        double[] w = [0.5, -1.5, 2.0], dw = [0.1, 0.4, -0.3];
        var (value, gw, gscale) = ForwardFunctions.WeightedNormWithGradient(w, 1.5);
        var (forward, tangent) = ForwardFunctions.WeightedNormPushforward(w, 1.5, dw, 0.2);
        Tolerance.AssertClose(value, forward, Tolerance.Double, "value");
        Tolerance.AssertClose(gw[0] * dw[0] + gw[1] * dw[1] + gw[2] * dw[2] + gscale * 0.2, tangent, Tolerance.Double, "tangent");
        var wrong = Assert.Throws<ArgumentException>(() => ForwardFunctions.WeightedNormPushforward(w, 1.5, [0.1], 0.2));
        Assert.Contains("1 tangents for 3 items of w", wrong.Message);
    }

    [Fact]
    public void A_network_over_matrices_is_pushed_forward_through_a_layer_call()
    {
        var random = new Random(3);
        Matrix<double> w1 = TestMatrices.Random(random, 4, 5), b1 = TestMatrices.Random(random, 1, 5), w2 = TestMatrices.Random(random, 5, 3), x = TestMatrices.Random(random, 6, 4);
        Matrix<double> dw1 = TestMatrices.Random(random, 4, 5), db1 = TestMatrices.Random(random, 1, 5), dw2 = TestMatrices.Random(random, 5, 3);
        int[] labels = [0, 2, 1, 1, 0, 2];
        var (loss, gw1, gb1, gw2) = ForwardFunctions.NetworkWithGradient(w1, b1, w2, x, labels);
        var (value, tangent) = ForwardFunctions.NetworkPushforward(w1, b1, w2, x, labels, dw1, db1, dw2, new Workspace());
        Tolerance.AssertClose(loss, value, Tolerance.Double, "value");
        Tolerance.AssertClose(Dot(gw1, dw1) + Dot(gb1, db1) + Dot(gw2, dw2), tangent, 1e-10, "tangent against the gradient · tangents");
    }

    [Fact]
    public void A_layers_tangent_is_the_difference_of_its_outputs_along_the_direction()
    {
        var random = new Random(4);
        Matrix<double> x = TestMatrices.Random(random, 3, 4), w = TestMatrices.Random(random, 4, 2), b = TestMatrices.Random(random, 1, 2);
        Matrix<double> dx = TestMatrices.Random(random, 3, 4), dw = TestMatrices.Random(random, 4, 2), db = TestMatrices.Random(random, 1, 2);
        var (_, tangent) = ForwardFunctions.DensePushforward(x, w, b, dx, dw, db);
        const double h = 1e-6;
        var plus = ForwardFunctions.Dense(x + h * dx, w + h * dw, b + h * db);
        var minus = ForwardFunctions.Dense(x - h * dx, w - h * dw, b - h * db);
        for (var i = 0; i < tangent.Length; i++)
        {
            Tolerance.AssertClose((plus.Span[i] - minus.Span[i]) / (2 * h), tangent.Span[i], Tolerance.FiniteDifference, $"tangent[{i}]");
        }
        var wrong = Assert.Throws<ArgumentException>(() => ForwardFunctions.DensePushforward(x, w, b, dx, dw, TestMatrices.Random(random, 2, 2)));
        Assert.Contains("tangent of shape (2×2) for b of shape (1×2)", wrong.Message);
    }

    [Fact]
    public void Forward_mode_calls_the_hand_written_pushforwards()
    {
        var random = new Random(6);
        Matrix<double> w = TestMatrices.Random(random, 4, 2), x = TestMatrices.Random(random, 3, 4), dw = TestMatrices.Random(random, 4, 2);
        var (value, gw, ga) = ForwardFunctions.WithRulesWithGradient(w, 0.8, x);
        var (forward, tangent) = ForwardFunctions.WithRulesPushforward(w, 0.8, x, dw, -0.6, new Workspace());
        Tolerance.AssertClose(value, forward, Tolerance.Double, "value");
        Tolerance.AssertClose(Dot(gw, dw) - 0.6 * ga, tangent, 1e-10, "tangent against the gradient · tangents");
        var report = GradientCheck.CheckDirectional(p => ForwardFunctions.WithRules(new Matrix<double>(4, 2, p[..8]), p[8], x), [.. w.Span, 0.8], [.. dw.Span, -0.6], tangent);
        Assert.True(report.Passed, report.ToString());
    }

    [Fact]
    public void An_array_of_matrices_has_an_array_of_tangents_through_a_loop()
    {
        var type = GeneratorHarness.Load("""
            using GradGen;
            public static partial class Deep
            {
                [Differentiable(Pushforward = true)]
                public static double DeepTanh(Matrix<double>[] weights, [NoDerivative] Matrix<double> x)
                {
                    var h = x;
                    for (var l = 0; l < weights.Length; l++) h = Matrix.Tanh(Matrix.MatMul(h, weights[l]));
                    return 0.5 * Matrix.Sum(h * h);
                }
            }
            """).GetType("Deep")!;
        var random = new Random(9);
        var weights = Enumerable.Range(0, 3).Select(_ => TestMatrices.Random(random, 3, 3)).ToArray();
        var tangents = Enumerable.Range(0, 3).Select(_ => TestMatrices.Random(random, 3, 3)).ToArray();
        var x = TestMatrices.Random(random, 4, 3);
        var gradient = (System.Runtime.CompilerServices.ITuple)type.GetMethod("DeepTanhWithGradient")!.Invoke(null, [weights, x, null])!;
        var pushforward = (System.Runtime.CompilerServices.ITuple)type.GetMethod("DeepTanhPushforward")!.Invoke(null, [weights, x, tangents, null])!;
        var expected = ((Matrix<double>[])gradient[1]!).Zip(tangents, Dot).Sum();
        Tolerance.AssertClose((double)gradient[0]!, (double)pushforward[0]!, Tolerance.Double, "value");
        Tolerance.AssertClose(expected, (double)pushforward[1]!, 1e-10, "tangent against the gradient · tangents");
    }

    [Fact]
    public void Jacobians_by_rows_and_by_columns_match_differences_of_the_method()
    {
        var random = new Random(5);
        Matrix<double> x = TestMatrices.Random(random, 3, 4), w = TestMatrices.Random(random, 4, 2), b = TestMatrices.Random(random, 1, 2);
        // 22 inputs, 6 outputs: by rows (pullbacks).
        var (value, jacobian) = ForwardFunctions.DenseJacobian(x, w, b);
        Assert.Equal((6, 22), (jacobian.Rows, jacobian.Columns));
        AssertJacobian(p => ForwardFunctions.Dense(Matrix(p, 0, 3, 4), Matrix(p, 12, 4, 2), Matrix(p, 20, 1, 2)).Span.ToArray(), [.. x.Span, .. w.Span, .. b.Span], jacobian);
        Assert.Equal(ForwardFunctions.Dense(x, w, b).Span.ToArray(), value.Span.ToArray());

        // 2 inputs, 12 outputs: by columns (pushforwards).
        var grid = TestMatrices.Random(random, 3, 4);
        var (_, curve) = ForwardFunctions.CurveJacobian(0.7, -1.3, grid);
        Assert.Equal((12, 2), (curve.Rows, curve.Columns));
        AssertJacobian(p => ForwardFunctions.Curve(p[0], p[1], grid).Span.ToArray(), [0.7, -1.3], curve);

        // A number's Jacobian is its gradient, as one row.
        double[] weights = [0.5, -1.5, 2.0];
        var (_, row) = ForwardFunctions.WeightedNormJacobian(weights, 1.5);
        var (_, gw, gscale) = ForwardFunctions.WeightedNormWithGradient(weights, 1.5);
        Assert.Equal([.. gw, gscale], row.Span.ToArray());
    }

    private static void AssertJacobian(Func<double[], double[]> f, double[] point, Matrix<double> jacobian)
    {
        var report = GradientCheck.CheckJacobian(f, point, jacobian);
        Assert.True(report.Passed, report.ToString());
        jacobian[0, 0] += 1e-3;   // and it sees a wrong entry
        Assert.False(GradientCheck.CheckJacobian(f, point, jacobian).Passed);
        jacobian[0, 0] -= 1e-3;
    }

    private static Matrix<double> Matrix(double[] p, int offset, int rows, int columns) => new(rows, columns, p[offset..(offset + rows * columns)]);

    private static double Dot(Matrix<double> a, Matrix<double> b) => Enumerable.Range(0, a.Length).Sum(i => a.Span[i] * b.Span[i]);
}
