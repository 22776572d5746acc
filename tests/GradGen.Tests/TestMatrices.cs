namespace GradGen.Tests;

/// <summary>Random matrices and tolerant comparisons for the matrix tests.</summary>
internal static class TestMatrices
{
    /// <summary>A rows×columns matrix of uniform values in [−1, 1).</summary>
    public static Matrix<double> Random(Random random, int rows, int columns)
    {
        var m = new Matrix<double>(rows, columns);
        for (var i = 0; i < m.Length; i++) m.Span[i] = random.NextDouble() * 2 - 1;
        return m;
    }

    public static Matrix<float> ToFloat(Matrix<double> m) => new(m.Rows, m.Columns, m.Span.ToArray().Select(v => (float)v).ToArray());

    public static Matrix<double> ToDouble(Matrix<float> m) => new(m.Rows, m.Columns, m.Span.ToArray().Select(v => (double)v).ToArray());

    /// <summary>Asserts equal shapes and every element within <paramref name="tolerance"/> (relative above 1).</summary>
    public static void AssertClose(Matrix<double> expected, Matrix<double> actual, double tolerance = 1e-12)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        for (var i = 0; i < expected.Length; i++)
        {
            var error = Math.Abs(expected.Span[i] - actual.Span[i]) / Math.Max(1, Math.Abs(expected.Span[i]));
            Assert.True(error <= tolerance, $"element ({i / expected.Columns}, {i % expected.Columns}): expected {expected.Span[i]:R}, got {actual.Span[i]:R}");
        }
    }
}
