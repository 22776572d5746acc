using CsCheck;

namespace GradGen.Tests;

/// <summary>
/// The activations' backward passes (and the output layer's softmax with cross-entropy) that also make the gradient of the
/// bias added before them (the generated backward
/// calls them where it adds SumToShapeOf of the activation's adjoint to a bias's: <c>BackwardFusion</c>) give, bit for bit,
/// the pass alone and its sum to the bias's shape, for every shape SumToShapeOf accepts, on matrices small and large
/// enough to be shared; in a new matrix; and the errors of the two apart.
/// </summary>
public class FusedBackwardTests
{
    private delegate Matrix<double> Fused(Matrix<double> g, Matrix<double> y, Matrix<double> like, out Matrix<double> summed, Workspace? workspace = null);

    private static readonly (string Name, Fused Fused, Func<Matrix<double>, Matrix<double>, Matrix<double>> Alone)[] s_functions =
    [
        ("SigmoidBackward", (Matrix<double> g, Matrix<double> y, Matrix<double> like, out Matrix<double> summed, Workspace? workspace) => Matrix.SigmoidBackward(g, y, like, out summed, workspace), (g, y) => Matrix.SigmoidBackward(g, y)),
        ("TanhBackward", (Matrix<double> g, Matrix<double> y, Matrix<double> like, out Matrix<double> summed, Workspace? workspace) => Matrix.TanhBackward(g, y, like, out summed, workspace), (g, y) => Matrix.TanhBackward(g, y)),
        ("MaskWherePositive", (Matrix<double> g, Matrix<double> y, Matrix<double> like, out Matrix<double> summed, Workspace? workspace) => Matrix.MaskWherePositive(g, y, like, out summed, workspace), (g, y) => Matrix.MaskWherePositive(g, y)),
        // g as the probabilities (any values do for the formula), y's shape as the labels: row r's is r mod y's columns.
        ("SoftmaxCrossEntropyBackward", (Matrix<double> g, Matrix<double> y, Matrix<double> like, out Matrix<double> summed, Workspace? workspace) => Matrix.SoftmaxCrossEntropyBackward(0.25, g, Labels(y), like, out summed, workspace), (g, y) => Matrix.SoftmaxCrossEntropyBackward(0.25, g, Labels(y))),
    ];

    private static int[] Labels(Matrix<double> y) => Enumerable.Range(0, y.Rows).Select(r => r % Math.Max(1, y.Columns)).ToArray();

    [Fact]
    [Trait("Lane", "Slow")]
    public void A_backward_pass_and_its_sum_made_together_are_the_pass_and_the_sum()
    {
        // Shapes up to 500×200: one block of 64 rows or many, below and above the 2¹⁵ elements from which passes are shared;
        // the bias's shape a row (column sums, the fused path), the whole matrix or a column (the pass, then the sum).
        var gen = Gen.Select(Gen.Int[1, 500], Gen.Int[1, 200], Gen.Int[0, 2], Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (rows, columns, kind, seed) = shape;
            Check(rows, columns, kind, new Random(seed));
        }, stream: 44);
    }

    [Theory]
    [InlineData(1, 7, 0)]
    [InlineData(70, 0, 0)]
    [InlineData(64, 10, 0)]
    [InlineData(65, 3, 0)]
    [InlineData(256, 128, 0)]
    [InlineData(300, 130, 0)]
    [InlineData(256, 128, 1)]
    [InlineData(256, 128, 2)]
    public void A_layer_shaped_backward_pass_and_its_bias_gradient(int rows, int columns, int kind) => Check(rows, columns, kind, new Random(rows * columns + kind));

    [Fact]
    public void Shapes_that_do_not_agree_are_the_errors_of_the_pass_and_the_sum()
    {
        var (g, y) = (new Matrix<double>(3, 4), new Matrix<double>(3, 4));
        foreach (var (name, fused, alone) in s_functions)
        {
            var other = new Matrix<double>(2, 5);
            Assert.Equal(Assert.Throws<ArgumentException>(() => alone(g, other)).Message, Assert.Throws<ArgumentException>(() => fused(g, other, new Matrix<double>(1, 4), out _)).Message);
            var like = new Matrix<double>(2, 4);
            Assert.Equal(Assert.Throws<ArgumentException>(() => Matrix.SumToShapeOf(g, like)).Message, Assert.Throws<ArgumentException>(() => fused(g, y, like, out _)).Message);
        }
    }

    /// <param name="kind">The bias's shape: 0 a row, 1 the matrix's, 2 a column.</param>
    private static void Check(int rows, int columns, int kind, Random random)
    {
        var g = TestMatrices.Random(random, rows, columns);
        // Values about zero, some of them exactly zero, where the ReLU mask turns.
        var y = TestMatrices.Random(random, rows, columns);
        for (var i = 0; i < y.Length; i += 7) y.Span[i] = 0;
        var like = new Matrix<double>(kind == 0 ? 1 : rows, kind == 2 ? 1 : columns);
        foreach (var (name, fused, alone) in s_functions)
        {
            // No label is a class of a matrix without columns.
            if (columns == 0 && name == "SoftmaxCrossEntropyBackward") continue;
            var expected = alone(g, y);
            var expectedSum = Matrix.SumToShapeOf(expected, like);
            foreach (var workspace in new[] { null, new Workspace() })
            {
                var actual = fused(g, y, like, out var summed, workspace);
                Assert.Equal(expected.Shape, actual.Shape);
                Assert.Equal(expectedSum.Shape, summed.Shape);
                Assert.NotSame(actual, summed);
                Assert.False(summed.Span.Overlaps(actual.Span) || summed.Span.Overlaps(g.Span), $"{name}: the sum shares its elements");
                for (var i = 0; i < expected.Length; i++) Assert.True(expected.Span[i].Equals(actual.Span[i]), $"{name} {rows}×{columns}, element {i}: {expected.Span[i]:R} alone, {actual.Span[i]:R} fused");
                for (var i = 0; i < expectedSum.Length; i++) Assert.True(expectedSum.Span[i].Equals(summed.Span[i]), $"{name} {rows}×{columns} to {like.Shape}, element {i}: {expectedSum.Span[i]:R} summed after, {summed.Span[i]:R} fused");
            }
        }
    }
}
