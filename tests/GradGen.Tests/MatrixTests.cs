using static GradGen.Tests.TestMatrices;

namespace GradGen.Tests;

/// <summary>The runtime matrix type against naive loops, on odd shapes, in float and double; shape errors.</summary>
public class MatrixTests
{
    public static TheoryData<int, int, int> Shapes => new() { { 1, 1, 1 }, { 7, 13, 5 }, { 3, 1, 9 }, { 17, 33, 65 }, { 64, 8, 31 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void MatMul_matches_the_naive_product_with_every_transpose(int m, int k, int n)
    {
        var random = new Random(m * 1000 + k * 10 + n);
        var a = Random(random, m, k);
        var b = Random(random, k, n);
        var expected = NaiveProduct(a, b);

        AssertClose(expected, Matrix.MatMul(a, b));
        AssertClose(expected, Matrix.MatMul(Matrix.Transpose(a), b, transposeA: true));
        AssertClose(expected, Matrix.MatMul(a, Matrix.Transpose(b), transposeB: true));
        AssertClose(expected, Matrix.MatMul(Matrix.Transpose(a), Matrix.Transpose(b), transposeA: true, transposeB: true));
    }

    [Fact]
    public void MatMul_in_float_matches_double()
    {
        var random = new Random(7);
        var a = Random(random, 9, 14);
        var b = Random(random, 14, 6);
        var product = Matrix.MatMul(ToFloat(a), ToFloat(b));
        AssertClose(Matrix.MatMul(a, b), ToDouble(product), 1e-5);
    }

    [Fact]
    public void Shape_mismatches_name_the_operation_and_both_shapes()
    {
        var a = new Matrix<double>(2, 3);
        var b = new Matrix<double>(4, 5);

        Assert.Equal("MatMul: a (2×3) and b (4×5) do not chain (3 ≠ 4).", Assert.Throws<ArgumentException>(() => Matrix.MatMul(a, b)).Message);
        Assert.Equal("MatMul: aᵀ (3×2) and b (4×5) do not chain (2 ≠ 4).", Assert.Throws<ArgumentException>(() => Matrix.MatMul(a, b, transposeA: true)).Message);
        Assert.Equal("*: shapes (2×3) and (4×5) do not broadcast: one operand must have the other's shape, or be a 1×n row or an m×1 column of it.", Assert.Throws<ArgumentException>(() => a * b).Message);
        Assert.Equal("+: shapes (2×3) and (4×5) do not broadcast: one operand must have the other's shape, or be a 1×n row or an m×1 column of it.", Assert.Throws<ArgumentException>(() => a + b).Message);
        Assert.Equal("Mse: shapes (2×3) and (4×5) differ.", Assert.Throws<ArgumentException>(() => Matrix.Mse(a, b)).Message);
        Assert.Contains("(2×3)", Assert.Throws<ArgumentException>(() => Matrix.CategoricalCrossEntropy(a, [0])).Message);
    }

    [Fact]
    public void Elementwise_operators_are_numpys()
    {
        var a = Matrix<double>.FromRows([1, 2], [3, 4]);
        var b = Matrix<double>.FromRows([5, 6], [7, 8]);

        Assert.Equal(Matrix<double>.FromRows([5, 12], [21, 32]), a * b);
        Assert.Equal(Matrix<double>.FromRows([6, 8], [10, 12]), a + b);
        Assert.Equal(Matrix<double>.FromRows([-4, -4], [-4, -4]), a - b);
        Assert.Equal(Matrix<double>.FromRows([0.2, 2.0 / 6], [3.0 / 7, 0.5]), a / b);
        Assert.Equal(Matrix<double>.FromRows([0, -1], [-2, -3]), 1.0 - a);
        Assert.Equal(Matrix<double>.FromRows([2, 4], [6, 8]), 2.0 * a);
        Assert.Equal(Matrix<double>.FromRows([-1, -2], [-3, -4]), -a);
    }

    [Fact]
    public void Row_and_column_vectors_broadcast_as_in_numpy()
    {
        var x = Matrix<double>.FromRows([1, 2, 3], [4, 5, 6]);
        var row = Matrix<double>.FromRows([10, 20, 30]);
        var column = Matrix<double>.FromRows([10], [100]);

        Assert.Equal(Matrix<double>.FromRows([11, 22, 33], [14, 25, 36]), x + row);
        Assert.Equal(Matrix<double>.FromRows([-9, -18, -27], [-6, -15, -24]), x - row);
        Assert.Equal(Matrix<double>.FromRows([10, 40, 90], [40, 100, 180]), x * row);
        Assert.Equal(Matrix<double>.FromRows([11, 12, 13], [104, 105, 106]), x + column);
        Assert.Equal(Matrix<double>.FromRows([0.1, 0.2, 0.3], [0.04, 0.05, 0.06]), x / column);
        Assert.Equal(Matrix<double>.FromRows([5, 7, 9]), Matrix.ColumnSums(x));
        Assert.Equal(Matrix<double>.FromRows([6], [15]), Matrix.RowSums(x));
        Assert.Equal(Matrix.ColumnSums(x), Matrix.SumToShapeOf(x, row));
        Assert.Equal(Matrix.RowSums(x), Matrix.SumToShapeOf(x, column));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(70)]
    public void The_column_sums_of_a_matrix_without_columns_are_an_empty_row(int rows)
    {
        var sums = Matrix.ColumnSums(new Matrix<double>(rows, 0));
        Assert.Equal((1, 0), (sums.Rows, sums.Columns));
    }

    [Fact]
    public void Activations_match_their_definitions()
    {
        var x = Matrix<double>.FromRows([-2, -0.5, 0], [0.5, 1, 3]);
        for (var i = 0; i < x.Length; i++)
        {
            var v = x.Span[i];
            Tolerance.AssertClose(1 / (1 + Math.Exp(-v)), Matrix.Sigmoid(x).Span[i], Tolerance.Double);
            Tolerance.AssertClose(Math.Tanh(v), Matrix.Tanh(x).Span[i], Tolerance.Double);
            Tolerance.AssertClose(Math.Exp(v), Matrix.Exp(x).Span[i], Tolerance.Double);
            Assert.Equal(Math.Sqrt(Math.Abs(v)), Matrix.Sqrt(Matrix<double>.Filled(1, 1, Math.Abs(v))).Span[0], 14);
            Assert.Equal(Math.Max(v, 0), Matrix.Relu(x).Span[i]);
        }
        Assert.Equal(Math.Log(3), Matrix.Log(Matrix<double>.Filled(1, 1, 3)).Span[0], 14);
    }

    [Fact]
    public void Softmax_is_stable_and_each_row_sums_to_one()
    {
        var p = Matrix.Softmax(Matrix<double>.FromRows([1, 2, 3], [1000, 1001, 1002], [-1000, 0, 1000]));

        var expected = new[] { Math.Exp(-2), Math.Exp(-1), 1 }.Select(e => e / (Math.Exp(-2) + Math.Exp(-1) + 1)).ToArray();
        Assert.Equal(expected, p.Row(0).ToArray(), new RelativeComparer(1e-15));
        Assert.Equal(expected, p.Row(1).ToArray(), new RelativeComparer(1e-15));
        Assert.Equal([0, 0, 1], p.Row(2).ToArray());
    }

    [Fact]
    public void Losses_match_their_definitions()
    {
        var p = Matrix<double>.FromRows([0.7, 0.1, 0.2], [0.1, 0.5, 0.4], [0.02, 0.9, 0.08]);
        var oneHot = Matrix<double>.FromRows([1, 0, 0], [0, 1, 0], [0, 1, 0]);
        var expected = -(Math.Log(0.7) + Math.Log(0.5) + Math.Log(0.9)) / 3;

        Assert.Equal(expected, Matrix.CategoricalCrossEntropy(p, [0, 1, 1]), 15);
        Assert.Equal(expected, Matrix.CategoricalCrossEntropy(p, oneHot), 15);
        Assert.Equal(p.Span.ToArray().Sum(v => (v - 0.4) * (v - 0.4)) / 3, Matrix.Mse(p, Matrix<double>.Filled(3, 3, 0.4)), 15);

        var yhat = Matrix<double>.FromRows([0.9], [0.2]);
        var y = Matrix<double>.FromRows([1], [0]);
        Assert.Equal(-(Math.Log(0.9) + Math.Log(0.8)) / 2, Matrix.BinaryCrossEntropy(yhat, y), 15);
        Assert.True(double.IsFinite(Matrix.BinaryCrossEntropy(Matrix<double>.FromRows([0.0], [1.0]), Matrix<double>.FromRows([1], [0]))), "log loss is clipped away from log 0");
    }

    [Fact]
    public void Indexing_outside_the_matrix_names_the_shape()
    {
        var a = new Matrix<float>(2, 3);
        Assert.Equal("Element (2, 0) is outside a (2×3) matrix.", Assert.Throws<IndexOutOfRangeException>(() => a[2, 0]).Message);
        Assert.Throws<ArgumentException>(() => new Matrix<float>(2, 3, new float[5]));
    }

    private static Matrix<double> NaiveProduct(Matrix<double> a, Matrix<double> b)
    {
        var c = new Matrix<double>(a.Rows, b.Columns);
        for (var i = 0; i < a.Rows; i++)
            for (var j = 0; j < b.Columns; j++)
            {
                double sum = 0;
                for (var p = 0; p < a.Columns; p++) sum += a[i, p] * b[p, j];
                c[i, j] = sum;
            }
        return c;
    }

    private sealed class RelativeComparer(double tolerance) : IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x));

        public int GetHashCode(double obj) => 0;
    }

    [Fact]
    public void Either_operand_broadcasts_a_row_or_a_column()
    {
        var x = Matrix<double>.FromRows([1, 2, 3], [4, 5, 6]);
        var row = Matrix<double>.FromRows([10, 20, 30]);
        var column = Matrix<double>.FromRows([2], [-1]);
        AssertClose(Matrix<double>.FromRows([10, 40, 90], [40, 100, 180]), row * x);
        AssertClose(Matrix<double>.FromRows([9, 18, 27], [6, 15, 24]), row - x);
        AssertClose(Matrix<double>.FromRows([2, 1, 2.0 / 3], [-0.25, -0.2, -1.0 / 6]), column / x);
        AssertClose(x * row, row * x);
        AssertClose(Matrix<double>.FromRows([6, 12, 18], [-60, -75, -90]), Matrix.RowSums(x) * x * Matrix<double>.FromRows([1], [-1]));
    }

    [Fact]
    public void An_empty_batch_is_an_error_naming_the_operation()
    {
        var empty = new Matrix<double>(0, 3);
        Assert.Contains("Mse: the batch is empty (0×3)", Assert.Throws<ArgumentException>(() => Matrix.Mse(empty, empty)).Message);
        Assert.Contains("CategoricalCrossEntropy: the batch is empty", Assert.Throws<ArgumentException>(() => Matrix.CategoricalCrossEntropy(empty, Array.Empty<int>())).Message);
        Assert.Contains("Mean: the batch is empty", Assert.Throws<ArgumentException>(() => Matrix.Mean(empty)).Message);
    }

    /// <summary>
    /// The exact GELU's erf (hand-written: .NET's Math has none) against Math.NET Numerics' on a grid through both of its
    /// regions (series below |x| = 2, continued fraction above) and the tails.
    /// </summary>
    [Fact]
    public void Exact_gelu_matches_an_independent_erf()
    {
        var xs = Enumerable.Range(-1000, 2001).Select(i => i * 0.012).ToArray();
        var gelu = Matrix.Gelu(new Matrix<double>(1, xs.Length, xs.ToArray()));
        for (var i = 0; i < xs.Length; i++)
        {
            var expected = 0.5 * xs[i] * (1 + MathNet.Numerics.SpecialFunctions.Erf(xs[i] / Math.Sqrt(2)));
            Assert.True(Math.Abs(gelu.Span[i] - expected) <= 4e-16 * Math.Max(1, Math.Abs(xs[i])), $"Gelu({xs[i]:R}) = {gelu.Span[i]:R}, expected {expected:R}");
        }
        var tanh = Matrix.GeluTanh(new Matrix<double>(1, xs.Length, xs.ToArray()));
        for (var i = 0; i < xs.Length; i++) Assert.True(Math.Abs(tanh.Span[i] - gelu.Span[i]) < 1e-3, "the tanh approximation stays within 1e-3 of the exact GELU");
    }

    [Fact]
    public void Losses_on_logits_are_exact_at_any_magnitude()
    {
        var logits = Matrix<double>.FromRows([1000, -1000, 0], [-1000, 1000, 0]);
        Assert.Equal(1000, Matrix.CrossEntropy(logits, [0, 0]), 9);   // (0 + 2000) / 2
        Assert.Equal(Math.Log(2) / 2, Matrix.CrossEntropy(Matrix<double>.FromRows([0, 0], [50, -50]), [1, 0]), 14);
        var z = Matrix<double>.FromRows([800, -800]);
        Assert.Equal(400, Matrix.BinaryCrossEntropyWithLogits(z, Matrix<double>.FromRows([0, 0])), 9);   // (800 + 0) / 2
        AssertClose(Matrix<double>.FromRows([0, -1000, -2000]), Matrix.LogSoftmax(Matrix<double>.FromRows([1000, 0, -1000])));
    }
}
