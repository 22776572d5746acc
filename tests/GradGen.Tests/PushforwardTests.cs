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
}
