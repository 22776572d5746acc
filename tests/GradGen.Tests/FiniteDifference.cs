using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>Central finite differences, the independent check of every generated gradient.</summary>
internal static class FiniteDifference
{
    /// <summary>
    /// Asserts that a generated <c>…WithGradient</c> result, <c>(Value, dL_dp…)</c>, holds f's value and its partial
    /// derivatives with respect to the coordinates <paramref name="differentiated"/> (all of them if none are given).
    /// </summary>
    public static void Check(Func<double[], double> f, double[] point, ITuple withGradient, params int[] differentiated)
    {
        if (differentiated.Length == 0) differentiated = Enumerable.Range(0, point.Length).ToArray();
        var values = Enumerable.Range(0, withGradient.Length).Select(i => System.Convert.ToDouble(withGradient[i])).ToArray();
        Assert.Equal(f(point), values[0], 12);
        Check(f, point, values[1..], differentiated);
    }

    /// <summary>
    /// Asserts that <paramref name="gradient"/> is f's gradient with respect to the coordinates <paramref name="differentiated"/>,
    /// through the runtime's <see cref="GradientCheck"/> (|generated − central difference| ≤ tolerance · max(1, |difference|)).
    /// </summary>
    public static void Check(Func<double[], double> f, double[] point, IReadOnlyList<double> gradient, int[] differentiated, double tolerance = 1e-6, double step = 1e-6)
    {
        Assert.Equal(differentiated.Length, gradient.Count);
        double OfDifferentiated(double[] y)
        {
            var x = (double[])point.Clone();
            for (var k = 0; k < differentiated.Length; k++) x[differentiated[k]] = y[k];
            return f(x);
        }
        var report = GradientCheck.Check(OfDifferentiated, differentiated.Select(i => point[i]).ToArray(), gradient, new GradientCheckOptions(tolerance, tolerance, step));
        Assert.True(report.Passed, $"at [{string.Join(", ", point)}]: {report}");
    }
}
