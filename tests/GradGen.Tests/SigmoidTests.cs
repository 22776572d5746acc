namespace GradGen.Tests;

/// <summary>
/// The float sigmoid (<c>Kernels/Sigmoid.cs</c>, behind <see cref="Matrix.Sigmoid{T}"/> and <see cref="Matrix.SigmoidOfSum{T}"/>)
/// against the exact value, computed in double and rounded once: over a sweep of every 997th float from −120 to 120 (the
/// ranges where its exponential scales by one power of two and by two, and where it flushes below the smallest subnormal),
/// and at the values where it changes paths or the result leaves the normal range.
/// </summary>
public class SigmoidTests
{
    /// <summary>
    /// Ulps of the result allowed: the exponential's (Cephes' polynomial, an ulp), 1 + e's and the division's roundings
    /// (half an ulp each), with or without fused multiply-adds (the 128-bit path has none).
    /// </summary>
    private const double Ulps = 3;

    [Fact]
    public void The_float_sigmoid_is_within_three_ulps_everywhere()
    {
        var values = Sweep().Concat(Boundaries()).ToArray();
        // Long enough to be shared between the cores, and ending with a partial vector.
        var x = new Matrix<float>(1, values.Length, values);
        var worst = AssertSigmoid(values, Matrix.Sigmoid(x));
        AssertSigmoid(values, Matrix.SigmoidOfSum(x, new Matrix<float>(1, values.Length)));
        Assert.True(worst > 0.4, $"every result within {worst:F2} ulps: the comparison is not seeing the float rounding");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(9)]
    [InlineData(17)]
    public void Short_and_ragged_rows_have_every_element(int columns)
    {
        var values = Boundaries().Take(columns).ToArray();
        AssertSigmoid(values, Matrix.Sigmoid(new Matrix<float>(1, columns, values)));
    }

    [Fact]
    public void Special_values_are_those_of_the_function()
    {
        var x = new Matrix<float>(1, 5, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f]);
        var y = Matrix.Sigmoid(x);
        Assert.True(float.IsNaN(y[0, 0]));
        Assert.Equal([1f, 0f, 0.5f, 0.5f], y.Span[1..].ToArray());
    }

    /// <summary>Every 997th float bit pattern from −120 to 120.</summary>
    private static IEnumerable<float> Sweep()
    {
        for (var bits = BitConverter.SingleToInt32Bits(120f); bits > 0; bits -= 997)
        {
            var v = BitConverter.Int32BitsToSingle(bits);
            yield return v;
            yield return -v;
        }
    }

    /// <summary>Where the paths change (−87), the clamp (−104), the subnormal range of σ (below −87.3), saturation (±17, ±88.7).</summary>
    private static IEnumerable<float> Boundaries()
    {
        foreach (var v in new[] { -87f, -104f, -87.33655f, -103.97208f, -88.72284f, 88.72284f, -17f, 17f, 1e-30f, -1e-30f, 1.4e-45f, -1.4e-45f, 0.5f, -0.5f, 3.4e38f, -3.4e38f })
        {
            yield return v;
            yield return MathF.BitIncrement(v);
            yield return MathF.BitDecrement(v);
        }
    }

    /// <summary>Asserts every result within <see cref="Ulps"/>; the largest error, in ulps.</summary>
    private static double AssertSigmoid(float[] values, Matrix<float> actual)
    {
        var worst = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            var x = (double)values[i];
            var exact = x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));
            var rounded = (float)exact;
            // An ulp of the exact value, at least the smallest subnormal's.
            var ulp = Math.Max(MathF.BitIncrement(rounded) - rounded, float.Epsilon);
            var error = Math.Abs(actual.Span[i] - exact) / ulp;
            Assert.True(error <= Ulps, $"σ({values[i]:R}) = {actual.Span[i]:R}, exactly {exact:R}: {error:F2} ulps");
            worst = Math.Max(worst, error);
        }
        return worst;
    }
}
