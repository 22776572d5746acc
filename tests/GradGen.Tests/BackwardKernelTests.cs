namespace GradGen.Tests;

/// <summary>
/// The fused backward kernels against their formulas evaluated element by element, on odd shapes (vector bodies and
/// scalar tails), in double and float, written into a workspace buffer that holds stale values.
/// </summary>
public class BackwardKernelTests
{
    public static TheoryData<int, int> Shapes => new() { { 1, 1 }, { 7, 13 }, { 1023, 65 }, { 3, 1 }, { 1, 17 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Sigmoid_tanh_and_relu_backward_match_their_formulas(int rows, int columns)
    {
        var random = new Random(rows * 100 + columns);
        var g = TestMatrices.Random(random, rows, columns);
        var z = TestMatrices.Random(random, rows, columns);
        var (s, t) = (Matrix.Sigmoid(z), Matrix.Tanh(z));

        Check((i, j) => g[i, j] * s[i, j] * (1 - s[i, j]), workspace => Matrix.SigmoidBackward(g, s, workspace));
        Check((i, j) => g[i, j] * (1 - t[i, j] * t[i, j]), workspace => Matrix.TanhBackward(g, t, workspace));
        Check((i, j) => z[i, j] > 0 ? g[i, j] : 0, workspace => Matrix.MaskWherePositive(g, z, workspace));
        CheckFloat((i, j) => g[i, j] * s[i, j] * (1 - s[i, j]), workspace => Matrix.SigmoidBackward(TestMatrices.ToFloat(g), TestMatrices.ToFloat(s), workspace));
        CheckFloat((i, j) => g[i, j] * (1 - t[i, j] * t[i, j]), workspace => Matrix.TanhBackward(TestMatrices.ToFloat(g), TestMatrices.ToFloat(t), workspace));
        CheckFloat((i, j) => z[i, j] > 0 ? g[i, j] : 0, workspace => Matrix.MaskWherePositive(TestMatrices.ToFloat(g), TestMatrices.ToFloat(z), workspace));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Softmax_backward_and_the_fused_cross_entropy_backward_match_their_formulas(int rows, int columns)
    {
        var random = new Random(rows * 100 + columns + 1);
        var g = TestMatrices.Random(random, rows, columns);
        var p = Matrix.Softmax(TestMatrices.Random(random, rows, columns));
        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(columns)).ToArray();
        double RowDot(int i) => Enumerable.Range(0, columns).Sum(j => g[i, j] * p[i, j]);

        Check((i, j) => p[i, j] * (g[i, j] - RowDot(i)), workspace => Matrix.SoftmaxBackward(g, p, workspace));
        Check((i, j) => 0.25 * (p[i, j] - (labels[i] == j ? 1 : 0)), workspace => Matrix.SoftmaxCrossEntropyBackward(0.25, p, labels, workspace));
        var error = Assert.Throws<ArgumentException>(() => Matrix.SoftmaxCrossEntropyBackward(1.0, p, [.. labels, 0]));
        Assert.Contains(p.Shape, error.Message);
    }

    private static void Check(Func<int, int, double> expected, Func<Workspace, Matrix<double>> kernel) =>
        Compare(expected, workspace => kernel(workspace), 1e-15);

    private static void CheckFloat(Func<int, int, double> expected, Func<Workspace, Matrix<float>> kernel) =>
        Compare(expected, workspace => TestMatrices.ToDouble(kernel(workspace)), 1e-6);

    /// <summary>Runs the kernel twice over one workspace, the second time into the buffer the first filled.</summary>
    private static void Compare(Func<int, int, double> expected, Func<Workspace, Matrix<double>> kernel, double tolerance)
    {
        var workspace = new Workspace();
        var first = kernel(workspace);
        first.Span.Fill(double.NaN);
        workspace.Reset();
        var actual = kernel(workspace);
        for (var i = 0; i < actual.Rows; i++)
        {
            for (var j = 0; j < actual.Columns; j++) Assert.True(Math.Abs(expected(i, j) - actual[i, j]) <= tolerance, $"({i}, {j}): {actual[i, j]:R}, expected {expected(i, j):R}");
        }
    }
}
