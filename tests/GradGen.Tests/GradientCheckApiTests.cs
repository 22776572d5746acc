using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>The runtime's <see cref="GradientCheck"/>: it passes right gradients, names the worst wrong partial, restores what it perturbs.</summary>
public class GradientCheckApiTests
{
    [Fact]
    public void A_generated_gradient_passes_and_a_wrong_one_is_named()
    {
        var random = new Random(2);
        var (w1, b1, w2, b2) = (TestMatrices.Random(random, 2, 4), TestMatrices.Random(random, 1, 4), TestMatrices.Random(random, 4, 3), TestMatrices.Random(random, 1, 3));
        var (x, w3, y) = (TestMatrices.Random(random, 5, 2), TestMatrices.Random(random, 3, 1), TestMatrices.Random(random, 5, 1));
        double Loss() => NetworkFunctions.ThreeLayers(w1, b1, w2, b2, w3, x, y);
        var g = NetworkFunctions.ThreeLayersWithGradient(w1, b1, w2, b2, w3, x, y);
        var before = w1.Clone();

        var report = GradientCheck.Check(Loss, [("w1", w1, g.dL_dw1), ("b1", b1, g.dL_db1), ("w2", w2, g.dL_dw2)]);
        Assert.True(report.Passed, report.ToString());
        Assert.Equal(8 + 4 + 12, report.Checked);
        TestMatrices.AssertClose(before, w1, 0);   // perturbed and restored exactly

        var wrong = g.dL_dw2.Clone();
        wrong[1, 2] += 0.5;
        var failed = GradientCheck.Check(Loss, [("w1", w1, g.dL_dw1), ("w2", w2, wrong)]);
        Assert.False(failed.Passed);
        Assert.Equal(("w2", 1 * 3 + 2), (failed.WorstName, failed.WorstIndex));
        Assert.Equal(g.dL_dw2[1, 2] + 0.5, failed.WorstAnalytic);
        Assert.Equal(g.dL_dw2[1, 2], failed.WorstNumeric, 1e-6);
        var thrown = Assert.Throws<GradientCheckException>(() => failed.ThrowIfFailed());
        Assert.Contains("∂/∂w2[5]", thrown.Message);
    }

    [Fact]
    public void Functions_of_numbers_and_nan()
    {
        Assert.True(GradientCheck.Check(p => p[0] * p[0] * p[1], [3, 2], [12.0, 9.0]).Passed);
        var nan = GradientCheck.Check(p => p[0] * p[0], [1], [double.NaN]);
        Assert.False(nan.Passed);
        Assert.Throws<ArgumentException>(() => GradientCheck.Check(p => p[0], [1, 2], [1.0]));
    }

    [Fact]
    public void A_float_gradient_passes_with_the_float_step_and_tolerance()
    {
        var (x, labels) = Spiral.SpiralData.Generate(samplesPerClass: 10, classes: 3, new Random(1));
        var random = new Random(3);
        var (w1, b1, w2, b2) = (TestMatrices.ToFloat(TestMatrices.Random(random, 2, 8)), TestMatrices.ToFloat(TestMatrices.Random(random, 1, 8)),
            TestMatrices.ToFloat(TestMatrices.Random(random, 8, 3)), TestMatrices.ToFloat(TestMatrices.Random(random, 1, 3)));
        var model = NetworkTests.SpiralWith(w1, b1, w2, b2);
        var (_, g) = model.LossWithGradient(x, labels);
        var report = GradientCheck.Check(() => model.Loss(x, labels), [("hidden.weight", model.Hidden.Weight, g.Hidden.Weight), ("output.bias", model.Output.Bias, g.Output.Bias)]);
        Assert.True(report.Passed, report.ToString());
    }
}
