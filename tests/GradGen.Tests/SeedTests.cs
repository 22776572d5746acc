using Seeds;

namespace GradGen.Tests;

/// <summary>Every worked number of seeds 001 and 002, computed by generated code.</summary>
public class SeedTests
{
    public static TheoryData<double> Points => new() { -2, -1, -0.3, 0, 0.5, 1, 2.5 };

    [Theory]
    [MemberData(nameof(Points))]
    public void ChainRule_matches_the_closed_form(double x)
    {
        var (f, df) = SeedFunctions.ChainRuleWithGradient(x);
        Assert.Equal(Math.Pow(Math.Exp(x) + x, 2), f, 12);
        Assert.Equal(2 * (Math.Exp(x) + x) * (Math.Exp(x) + 1), df, 12);
    }

    [Theory]
    [MemberData(nameof(Points))]
    public void MultiVariableChainRule_sums_both_paths_and_matches_the_closed_form(double x)
    {
        var (f, df) = SeedFunctions.MultiVariableChainRuleWithGradient(x);
        Assert.Equal(x * x * (3 * x + 1) - Math.Sin(x * x), f, 12);
        Assert.Equal(3 * x * x + 2 * x * (3 * x + 1 - Math.Cos(x * x)), df, 12);
    }

    [Fact]
    public void LogisticRegression_gives_the_seed_numbers_to_four_decimals()
    {
        var (loss, dw1, dw2, db) = SeedFunctions.LogisticLossWithGradient(w1: -4, w2: 3, b: -1, x1: 1.5, x2: 2.5, y: 1);

        Assert.Equal("0.6225", SeedFunctions.LogisticPrediction(-4, 3, -1, 1.5, 2.5).ToString("F4", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.4741, Math.Round(loss, 4));
        Assert.Equal(-0.5663, Math.Round(dw1, 4));
        Assert.Equal(-0.9439, Math.Round(dw2, 4));
        Assert.Equal(-0.3775, Math.Round(db, 4));
    }

    [Fact]
    public void LogisticRegression_matches_the_closed_form_at_full_precision()
    {
        double x1 = 1.5, x2 = 2.5, y = 1;
        var yhat = SeedFunctions.LogisticPrediction(-4, 3, -1, x1, x2);
        // For sigmoid + log loss, dL/dz = ŷ − y, so dL/dw = (ŷ − y)·x and dL/db = ŷ − y.
        var (loss, dw1, dw2, db) = SeedFunctions.LogisticLossWithGradient(-4, 3, -1, x1, x2, y);

        Assert.Equal(-Math.Log(yhat), loss, 14);
        Assert.Equal((yhat - y) * x1, dw1, 14);
        Assert.Equal((yhat - y) * x2, dw2, 14);
        Assert.Equal(yhat - y, db, 14);
    }

    [Fact]
    public void ReluNeuron_gives_the_seed_gradients()
    {
        var g = SeedFunctions.ReluNeuronWithGradient(x0: 1, x1: -2, x2: 3, w0: -3, w1: -1, w2: 2, b: 1);

        Assert.Equal(6, g.Value);
        Assert.Equal(new[] { -3.0, -1, 2 }, new[] { g.dL_dx0, g.dL_dx1, g.dL_dx2 });
        Assert.Equal(new[] { 1.0, -2, 3 }, new[] { g.dL_dw0, g.dL_dw1, g.dL_dw2 });
        Assert.Equal(1, g.dL_db);
    }

    [Fact]
    public void ReluNeuron_after_one_step_of_minus_0_001_times_the_gradient_gives_the_seed_weights_and_output()
    {
        double[] x = [1, -2, 3];
        double[] w = [-3, -1, 2];
        double b = 1;
        var g = SeedFunctions.ReluNeuronWithGradient(x[0], x[1], x[2], w[0], w[1], w[2], b);

        w = [w[0] - 0.001 * g.dL_dw0, w[1] - 0.001 * g.dL_dw1, w[2] - 0.001 * g.dL_dw2];
        b -= 0.001 * g.dL_db;

        Assert.Equal(new[] { -3.001, -0.998, 1.997 }, w.Select(v => Math.Round(v, 12)));
        Assert.Equal(0.999, b, 12);
        Assert.Equal(5.985, SeedFunctions.ReluNeuronWithGradient(x[0], x[1], x[2], w[0], w[1], w[2], b).Value, 12);
    }

    [Fact]
    public void ReluNeuron_below_zero_passes_no_gradient()
    {
        var g = SeedFunctions.ReluNeuronWithGradient(1, -2, 3, 3, 1, -2, -1);

        Assert.Equal(0, g.Value);
        Assert.All(new[] { g.dL_dx0, g.dL_dx1, g.dL_dx2, g.dL_dw0, g.dL_dw1, g.dL_dw2, g.dL_db }, d => Assert.Equal(0, d));
    }
}
