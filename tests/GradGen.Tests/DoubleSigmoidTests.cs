namespace GradGen.Tests;

/// <summary>
/// The double sigmoid (<c>Kernels/DoubleSigmoid.cs</c>, behind <see cref="Matrix.Sigmoid{T}"/> and
/// <see cref="Matrix.SigmoidOfSum{T}"/>) against 1 / (1 + e⁻ˣ) from <see cref="Math.Exp"/> carried in two doubles (its
/// own error about half an ulp of e⁻ˣ): over a sweep from −760 to 760 dense near 0, and where the paths change, where
/// the result leaves the normal range and where it rounds to 0 or 1.
/// </summary>
public class DoubleSigmoidTests
{
    /// <summary>
    /// Ulps of the result allowed: P(r) and P(−r) (about an ulp each through their even and odd parts), the product by
    /// 2⁻ⁿ, the sum and the division (half an ulp each), and the reference's half ulp of e⁻ˣ; measured at most 2.0, with
    /// fused multiply-adds and without (the 128-bit path).
    /// </summary>
    private const double Ulps = 3;

    [Fact]
    public void The_double_sigmoid_is_within_three_ulps_everywhere()
    {
        var values = Sweep().Concat(Boundaries()).ToArray();
        // Long enough to be shared between the cores, and ending with a partial vector.
        var x = new Matrix<double>(1, values.Length, values);
        var worst = AssertClose(values, Matrix.Sigmoid(x));
        AssertClose(values, Matrix.SigmoidOfSum(x, new Matrix<double>(1, values.Length)));
        Assert.True(worst > 0.4, $"every result within {worst:F2} ulps: the comparison is not seeing the double rounding");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(17)]
    public void Short_and_ragged_rows_have_every_element(int columns)
    {
        var values = Boundaries().Take(columns).ToArray();
        AssertClose(values, Matrix.Sigmoid(new Matrix<double>(1, columns, values)));
    }

    [Fact]
    public void Special_values_are_those_of_the_function()
    {
        var sigmoid = Matrix.Sigmoid(new Matrix<double>(1, 7, [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, -1000.0, 1000.0]));
        Assert.True(double.IsNaN(sigmoid[0, 0]));
        Assert.Equal([1.0, 0.0, 0.5, 0.5, 0.0, 1.0], sigmoid.Span[1..].ToArray());
    }

    /// <summary>1 / (1 + e⁻ˣ), the sum 1 + e⁻ʸ and the quotient carried in two doubles, e⁻ʸ = <see cref="Math.Exp"/>(−|x|).</summary>
    private static double Exact(double x)
    {
        var e = Math.Exp(-Math.Abs(x));
        var hi = 1 + e;
        var lo = e - (hi - 1);
        var q = 1 / hi;
        // q·(hi + lo) = 1 + residual: the quotient's second part.
        var correction = q * (Math.FusedMultiplyAdd(-q, hi, 1) - q * lo);
        return x >= 0 || double.IsNaN(x) ? q + correction : Math.FusedMultiplyAdd(e, q, e * correction);
    }

    /// <summary>From −760 to 760, 20,000 steps evenly and 20,000 spread geometrically from 10⁻³⁰⁰, both signs.</summary>
    private static IEnumerable<double> Sweep()
    {
        for (var i = 0; i <= 20_000; i++)
        {
            var v = 760.0 * i / 20_000 + 1e-3 * (i % 7);
            yield return v;
            yield return -v;
            var g = Math.Pow(10, -300 + 303.0 * i / 20_000);
            yield return g;
            yield return -g;
        }
    }

    /// <summary>
    /// Where the paths change (|x| = 708), the clamp (746), the subnormal range of σ (below −708.4) and its end (−745.1),
    /// saturation to 1 (36.7, 37.4), n's first steps (±ln 2 / 2), tiny and subnormal x.
    /// </summary>
    private static IEnumerable<double> Boundaries()
    {
        foreach (var v in new[] { -708.0, 708.0, -746.0, -708.3964185322641, -745.1332191019411, -744.44007192138122, 36.7368005696771, 37.42994775023705, 0.34657359027997264, -0.34657359027997264, 1e-300, -1e-300, 5e-324, -5e-324, 0.5, -0.5, 1.7e308, -1.7e308 })
        {
            yield return v;
            yield return Math.BitIncrement(v);
            yield return Math.BitDecrement(v);
        }
    }

    /// <summary>Asserts every result within <see cref="Ulps"/>; the largest error, in ulps.</summary>
    private static double AssertClose(double[] values, Matrix<double> actual)
    {
        var worst = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            var exact = Exact(values[i]);
            var magnitude = Math.Abs(exact);
            // An ulp of the exact value, at least the smallest subnormal's.
            var ulp = Math.Max(Math.BitIncrement(magnitude) - magnitude, double.Epsilon);
            var error = Math.Abs(actual.Span[i] - exact) / ulp;
            Assert.True(error <= Ulps, $"σ({values[i]:R}) = {actual.Span[i]:R}, exactly {exact:R}: {error:F2} ulps");
            worst = Math.Max(worst, error);
        }
        return worst;
    }
}
