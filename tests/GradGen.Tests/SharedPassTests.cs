using CsCheck;

namespace GradGen.Tests;

/// <summary>
/// Element-wise passes over matrices large enough to be shared with the crew (2¹⁵ elements and more, odd shapes) give
/// what the same pass gives row by row, on matrices too small to share.
/// </summary>
public class SharedPassTests
{
    [Fact]
    [Trait("Lane", "Slow")]
    public void Passes_shared_between_the_cores_give_what_each_row_alone_gives()
    {
        var gen = Gen.Select(Gen.Int[2, 700], Gen.Int[1, 300], Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (rows, columns, seed) = shape;
            rows = Math.Max(rows, (1 << 15) / columns + 1);
            var random = new Random(seed);
            var x = TestMatrices.Random(random, rows, columns);
            var g = TestMatrices.Random(random, rows, columns);
            var bias = TestMatrices.Random(random, 1, columns);
            var column = TestMatrices.Random(random, rows, 1);
            var passes = new (string Name, Func<Matrix<double>, Matrix<double>, Matrix<double>, Matrix<double>, Matrix<double>> Pass)[]
            {
                ("Sigmoid", (x, _, _, _) => Matrix.Sigmoid(x)),
                ("Relu", (x, _, _, _) => Matrix.Relu(x)),
                ("Softmax", (x, _, _, _) => Matrix.Softmax(x)),
                ("x + g", (x, g, _, _) => x + g),
                ("x + bias", (x, _, bias, _) => x + bias),
                ("x · column", (x, _, _, column) => x * column),
                ("SigmoidBackward", (x, g, _, _) => Matrix.SigmoidBackward(g, x)),
                ("MaskWherePositive", (x, g, _, _) => Matrix.MaskWherePositive(g, x)),
            };
            var labels = Enumerable.Range(0, rows).Select(_ => random.Next(columns)).ToArray();
            var probabilities = Matrix.Softmax(x);
            var backward = Matrix.SoftmaxCrossEntropyBackward(0.25, probabilities, labels);
            for (var r = 0; r < rows; r++)
            {
                var alone = Matrix.SoftmaxCrossEntropyBackward(0.25, RowOf(probabilities, r), labels[r..(r + 1)]);
                for (var j = 0; j < columns; j++) Assert.Equal(alone[0, j], backward[r, j]);
            }
            // Column sums (shared from 2¹⁵ elements on, as the passes) add the sums of blocks of rows, each summed alone; they are
            // within rows·ε·Σ|x| of the sum in order.
            const int block = 64; // the rows of a block, as ColumnSums documents
            var tall = TestMatrices.Random(random, Math.Max(rows, (1 << 15) / columns + 1), columns);
            var sums = Matrix.ColumnSums(tall);
            var blockSums = Enumerable.Range(0, (tall.Rows + block - 1) / block)
                .Select(b => Matrix.ColumnSums(new Matrix<double>(Math.Min(block, tall.Rows - b * block), columns, tall.Span.Slice(b * block * columns, Math.Min(block, tall.Rows - b * block) * columns).ToArray())))
                .ToArray();
            for (var j = 0; j < columns; j++)
            {
                var (inBlocks, inOrder, magnitude) = (blockSums[0][0, j], 0.0, 0.0);
                for (var b = 1; b < blockSums.Length; b++) inBlocks += blockSums[b][0, j];
                for (var r = 0; r < tall.Rows; r++) (inOrder, magnitude) = (inOrder + tall[r, j], magnitude + Math.Abs(tall[r, j]));
                Assert.Equal(inBlocks, sums[0, j]);
                Assert.True(Math.Abs(inOrder - sums[0, j]) <= tall.Rows * 1.12e-16 * magnitude, $"column {j} of {tall.Shape}: {sums[0, j]:R}, in order {inOrder:R}");
            }
            foreach (var (name, pass) in passes)
            {
                var whole = pass(x, g, bias, column);
                for (var r = 0; r < rows; r++)
                {
                    var alone = pass(RowOf(x, r), RowOf(g, r), bias, RowOf(column, r));
                    for (var j = 0; j < columns; j++)
                    {
                        var (expected, actual) = (alone[0, j], whole[r, j]);
                        Assert.True(Math.Abs(expected - actual) <= 1e-15 * Math.Max(1, Math.Abs(expected)), $"{name} of {rows}×{columns}, ({r}, {j}): {expected:R} alone, {actual:R} shared");
                    }
                }
            }
        }, stream: 37);
    }

    private static Matrix<double> RowOf(Matrix<double> m, int r) => new(1, m.Columns, m.Row(r).ToArray());
}
