using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>Branches through generated code: finite differences on both sides of every branch, and no NaN from the side not taken.</summary>
public class BranchTests
{
    [Theory]
    [InlineData(3.0)]
    [InlineData(0.2)]
    [InlineData(-2.0)]
    public void Piecewise(double x) => FiniteDifference.Check(p => BranchFunctions.Piecewise(p[0]), [x], BranchFunctions.PiecewiseWithGradient(x));

    [Theory]
    [InlineData(-3.0, 1.5)]
    [InlineData(0.5, -2.0)]
    [InlineData(4.0, 0.7)]
    public void ElseIf(double x, double a) => FiniteDifference.Check(p => BranchFunctions.ElseIf(p[0], p[1]), [x, a], BranchFunctions.ElseIfWithGradient(x, a));

    [Theory]
    [InlineData(2.0, 1.0)]
    [InlineData(-1.0, 1.0)]
    public void Conditional(double x, double y) => FiniteDifference.Check(p => BranchFunctions.Conditional(p[0], p[1]), [x, y], BranchFunctions.ConditionalWithGradient(x, y));

    [Theory]
    [InlineData(-1.0)]
    [InlineData(2.0)]
    public void EarlyReturn(double x) => FiniteDifference.Check(p => BranchFunctions.EarlyReturn(p[0]), [x], BranchFunctions.EarlyReturnWithGradient(x));

    [Theory]
    [InlineData(-3.0, -1.0, 1.0)]
    [InlineData(0.5, -1.0, 1.0)]
    [InlineData(3.0, -1.0, 1.0)]
    public void Clamped(double x, double low, double high) =>
        FiniteDifference.Check(p => BranchFunctions.Clamped(p[0], low, high), [x], BranchFunctions.ClampedWithGradient(x, low, high));

    [Theory]
    [InlineData(1.5, 2.0)]
    [InlineData(1.5, -0.5)]
    [InlineData(-1.0, 0.3)]
    public void Nested(double x, double y) => FiniteDifference.Check(p => BranchFunctions.Nested(p[0], p[1]), [x, y], BranchFunctions.NestedWithGradient(x, y));

    [Theory]
    [InlineData(2.0)]
    [InlineData(-2.0)]
    public void FloatBranch(float x)
    {
        var (value, dx) = BranchFunctions.FloatBranchWithGradient(x);
        Assert.Equal(BranchFunctions.FloatBranch(x), value);
        Assert.Equal(x > 0 ? 2 * x : -1, dx);
    }

    [Fact]
    public void The_untaken_side_leaks_no_NaN()
    {
        // At x = 1 the else side divides by zero, at x = -2 the then side takes the log and square root of a negative.
        foreach (var x in new[] { 1.0, -2.0, 0.5 })
        {
            var (value, dx) = BranchFunctions.GuardedLogWithGradient(x);
            Assert.True(double.IsFinite(value) && double.IsFinite(dx), $"x = {x}: value {value}, derivative {dx}");
            FiniteDifference.Check(p => BranchFunctions.GuardedLog(p[0]), [x], BranchFunctions.GuardedLogWithGradient(x));
        }
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(-1.0)]
    public void MatrixBranch(double useTanh)
    {
        var random = new Random(5);
        var w = TestMatrices.Random(random, 3, 2);
        var x = TestMatrices.Random(random, 4, 3);
        LayerTests.AssertFiniteDifferences(m => BranchFunctions.MatrixBranch(m, x, useTanh), w, BranchFunctions.MatrixBranchWithGradient(w, x, useTanh).dL_dw);
    }
}
