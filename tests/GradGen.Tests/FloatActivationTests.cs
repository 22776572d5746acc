namespace GradGen.Tests;

/// <summary>
/// The float activations computed in float (<c>Kernels/Sigmoid.cs</c>, <c>Kernels/Tanh.cs</c>, behind <see cref="Matrix.Sigmoid{T}"/>,
/// <see cref="Matrix.Tanh{T}"/> and their fused forms with a bias) against the exact value, computed in double and rounded
/// once: over a sweep of every 997th float from −120 to 120 (the ranges where the exponential scales by one power of two
/// and by two, where it saturates or flushes below the smallest subnormal), and at the values where they change paths or
/// the result leaves the normal range.
/// </summary>
public class FloatActivationTests
{
    /// <summary>
    /// Ulps of the result allowed: the exponential's (Cephes' polynomial, an ulp), the roundings of 1 + e (2 + m) and of
    /// the division (half an ulp each), with or without fused multiply-adds (the 128-bit path has none).
    /// </summary>
    private const double Ulps = 3;

    public static TheoryData<string> Functions => ["Sigmoid", "Tanh"];

    private static Matrix<float> Alone(string name, Matrix<float> x) => name == "Sigmoid" ? Matrix.Sigmoid(x) : Matrix.Tanh(x);

    private static Matrix<float> OfSum(string name, Matrix<float> x, Matrix<float> b) => name == "Sigmoid" ? Matrix.SigmoidOfSum(x, b) : Matrix.TanhOfSum(x, b);

    private static double Exact(string name, double x) =>
        name == "Tanh" ? Math.Tanh(x) : x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    [Theory]
    [MemberData(nameof(Functions))]
    public void A_float_activation_is_within_three_ulps_everywhere(string name)
    {
        var values = Sweep().Concat(Boundaries()).ToArray();
        // Long enough to be shared between the cores, and ending with a partial vector.
        var x = new Matrix<float>(1, values.Length, values);
        var worst = AssertClose(name, values, Alone(name, x));
        AssertClose(name, values, OfSum(name, x, new Matrix<float>(1, values.Length)));
        Assert.True(worst > 0.4, $"every result within {worst:F2} ulps: the comparison is not seeing the float rounding");
    }

    [Theory]
    [InlineData("Sigmoid", 1)]
    [InlineData("Sigmoid", 7)]
    [InlineData("Sigmoid", 9)]
    [InlineData("Sigmoid", 17)]
    [InlineData("Tanh", 1)]
    [InlineData("Tanh", 9)]
    [InlineData("Tanh", 17)]
    public void Short_and_ragged_rows_have_every_element(string name, int columns)
    {
        var values = Boundaries().Take(columns).ToArray();
        AssertClose(name, values, Alone(name, new Matrix<float>(1, columns, values)));
    }

    [Fact]
    public void Special_values_are_those_of_the_function()
    {
        var x = new Matrix<float>(1, 5, [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f]);
        var sigmoid = Matrix.Sigmoid(x);
        Assert.True(float.IsNaN(sigmoid[0, 0]));
        Assert.Equal([1f, 0f, 0.5f, 0.5f], sigmoid.Span[1..].ToArray());
        var tanh = Matrix.Tanh(x);
        Assert.True(float.IsNaN(tanh[0, 0]));
        Assert.Equal([1f, -1f, 0f, -0f], tanh.Span[1..].ToArray());
        Assert.True(float.IsPositive(tanh[0, 3]) && float.IsNegative(tanh[0, 4]), "tanh keeps the sign of zero");
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

    /// <summary>
    /// Where the paths change (|x| = 87, and 43.5 for tanh's −2|x|), the clamp (−104), the subnormal range of σ (below
    /// −87.3), saturation (±9, ±17, ±88.7), tanh's reduced argument's first step (±0.1733), tiny and subnormal x.
    /// </summary>
    private static IEnumerable<float> Boundaries()
    {
        foreach (var v in new[] { -87f, -104f, -87.33655f, -103.97208f, -88.72284f, 88.72284f, -17f, 17f, 43.5f, -43.5f, 9.01f, -9.01f, 0.1732868f, -0.1732868f, 1e-30f, -1e-30f, 1.4e-45f, -1.4e-45f, 0.5f, -0.5f, 3.4e38f, -3.4e38f })
        {
            yield return v;
            yield return MathF.BitIncrement(v);
            yield return MathF.BitDecrement(v);
        }
    }

    /// <summary>Asserts every result within <see cref="Ulps"/>; the largest error, in ulps.</summary>
    private static double AssertClose(string name, float[] values, Matrix<float> actual)
    {
        var worst = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            var exact = Exact(name, values[i]);
            var rounded = Math.Abs((float)exact);
            // An ulp of the exact value, at least the smallest subnormal's.
            var ulp = Math.Max(MathF.BitIncrement(rounded) - rounded, float.Epsilon);
            var error = Math.Abs(actual.Span[i] - exact) / ulp;
            Assert.True(error <= Ulps, $"{name}({values[i]:R}) = {actual.Span[i]:R}, exactly {exact:R}: {error:F2} ulps");
            worst = Math.Max(worst, error);
        }
        return worst;
    }
}
