using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>Loops through generated code, against finite differences; the Clad #1865 and Tangent #66 shapes.</summary>
public class LoopTests
{
    [Fact]
    public void An_accumulation_over_an_array()
    {
        double[] xs = [0.5, -1.5, 2.0];
        var (value, dxs) = LoopFunctions.SumOfSquaresWithGradient(xs);
        Assert.Equal(6.5, value, 15);
        Assert.Equal([1.0, -3.0, 4.0], dxs);
    }

    [Fact]
    public void A_neuron_over_arrays() => CheckArrays(p => LoopFunctions.Neuron(p[..3], p[3], [0.3, -1.2, 2.0]),
        [0.4, 0.1, -0.7, 0.2], p => { var g = LoopFunctions.NeuronWithGradient(p[..3], p[3], [0.3, -1.2, 2.0]); return [.. g.dL_dw, g.dL_db]; });

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(4)]
    public void A_divisor_inside_a_loop_Clad_1865(int n) =>
        FiniteDifference.Check(p => LoopFunctions.RepeatedDivision(p[0], p[1], n), [1.7, 1.3], LoopFunctions.RepeatedDivisionWithGradient(1.7, 1.3, n));

    [Fact]
    public void Log_sum_exp_with_loops_has_the_softmax_gradient_Tangent_66()
    {
        double[] xs = [1.0, -0.5, 3.0, 2.5];
        var (value, dxs) = LoopFunctions.LogSumExpWithGradient(xs);
        var sum = xs.Sum(Math.Exp);
        Assert.Equal(Math.Log(sum), value, 12);
        for (var i = 0; i < xs.Length; i++) Assert.Equal(Math.Exp(xs[i]) / sum, dxs[i], 12);
        CheckArrays(p => LoopFunctions.LogSumExp(p), xs, p => LoopFunctions.LogSumExpWithGradient(p).dL_dxs);
    }

    [Theory]
    [InlineData(2.0, 1)]
    [InlineData(2.0, 5)]
    [InlineData(9.0, 3)]
    public void A_fixed_number_of_update_steps(double a, int steps) =>
        FiniteDifference.Check(p => LoopFunctions.NewtonSqrt(p[0], steps), [a], LoopFunctions.NewtonSqrtWithGradient(a, steps));

    [Theory]
    [InlineData(0.5, 1.2)]
    [InlineData(3.0, 2.5)]
    [InlineData(-1.0, 0.7)]
    public void A_while_loop_with_a_data_dependent_trip_count(double x, double w) =>
        FiniteDifference.Check(p => LoopFunctions.HalveWhileLarge(p[0], p[1]), [x, w], LoopFunctions.HalveWhileLargeWithGradient(x, w));

    [Fact]
    public void A_loop_counting_down() =>
        CheckArrays(p => LoopFunctions.Polynomial(p[..4], p[4]), [1.0, -2.0, 0.5, 3.0, 0.8],
            p => { var g = LoopFunctions.PolynomialWithGradient(p[..4], p[4]); return [.. g.dL_dc, g.dL_dx]; });

    [Fact]
    public void Index_arithmetic_and_a_branch_in_the_loop() =>
        CheckArrays(LoopFunctions.Roughness, [0.3, 1.1, 0.4, -0.2, 0.9], p => LoopFunctions.RoughnessWithGradient(p).dL_dxs);

    [Fact]
    public void Nested_loops() =>
        CheckArrays(p => LoopFunctions.Nested(p[..3], p[3..]), [0.3, -0.6, 0.9, 0.2, 0.5, -0.4],
            p => { var g = LoopFunctions.NestedWithGradient(p[..3], p[3..]); return [.. g.dL_dxs, .. g.dL_dw]; });

    [Fact]
    public void The_counter_in_float_arithmetic()
    {
        float[] xs = [1f, 2f, -3f];
        var (value, dxs) = LoopFunctions.WeightedWithGradient(xs);
        Assert.Equal(0 + 4f + 18f, value);
        Assert.Equal([0f, 4f, -12f], dxs);
    }

    [Fact]
    public void Repeated_layers_over_an_array_of_matrices()
    {
        var random = new Random(3);
        Matrix<double>[] weights = [TestMatrices.Random(random, 3, 4), TestMatrices.Random(random, 4, 4), TestMatrices.Random(random, 4, 2)];
        var x = TestMatrices.Random(random, 5, 3);
        var (value, dweights) = LoopFunctions.DeepTanhWithGradient(weights, x);
        Assert.Equal(LoopFunctions.DeepTanh(weights, x), value, 12);
        for (var l = 0; l < weights.Length; l++)
        {
            var layer = l;
            LayerTests.AssertFiniteDifferences(w => LoopFunctions.DeepTanh(weights.Select((m, k) => k == layer ? w : m).ToArray(), x), weights[l], dweights[l]);
        }
    }

    [Theory]
    [InlineData(3.0, 0.5)]
    [InlineData(1.1, 0.5)]
    [InlineData(3.0, -0.8)]
    public void A_loop_inside_a_branch_and_a_computed_while_condition(double x, double w) =>
        FiniteDifference.Check(p => LoopFunctions.LoopInBranch(p[0], p[1]), [x, w], LoopFunctions.LoopInBranchWithGradient(x, w));

    [Fact]
    public void A_call_inside_a_loop() =>
        CheckArrays(p => LoopFunctions.SoftplusSum(p[..3], p[3]), [0.5, -1.0, 2.0, 0.7],
            p => { var g = LoopFunctions.SoftplusSumWithGradient(p[..3], p[3]); return [.. g.dL_dxs, g.dL_dscale]; });

    /// <summary>f's gradient over all coordinates of a flat point, against central differences.</summary>
    private static void CheckArrays(Func<double[], double> f, double[] point, Func<double[], double[]> gradient) =>
        FiniteDifference.Check(f, point, gradient(point), Enumerable.Range(0, point.Length).ToArray());
}
