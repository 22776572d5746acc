using CsCheck;

namespace GradGen.Tests;

/// <summary>
/// The row passes that rows of up to 64 elements take inlined (a softmax's max, sum and scaling, a bias added, column
/// sums) against a plain scalar reference, at every width around the vector sizes and the 64 where the library takes
/// over, with the values that trip a maximum up: NaN, ±∞, −0, and spreads wide enough to overflow an unshifted exp.
/// </summary>
public class ShortRowTests
{
    /// <summary>A row element: mostly ordinary, sometimes far out, sometimes not a number or infinite.</summary>
    private static readonly Gen<double> s_element = Gen.Frequency(
        (20, Gen.Double[-3, 3]),
        (3, Gen.Double[-800, 800]),
        (1, Gen.OneOf(Gen.Const(double.NaN), Gen.Const(double.PositiveInfinity), Gen.Const(double.NegativeInfinity), Gen.Const(-0.0), Gen.Const(0.0))));

    private static readonly Gen<double[][]> s_rows =
        Gen.Int[1, 72].SelectMany(columns => Gen.Int[1, 40].SelectMany(rows => s_element.Array[columns].Array[rows]));

    [Fact]
    public void Softmax_of_short_rows_is_the_textbook_formula_in_double() =>
        Properties.PropertyTests.Run(s_rows, rows =>
        {
            var x = Matrix<double>.FromRows(rows);
            var bias = Matrix<double>.FromRows(Enumerable.Range(0, x.Columns).Select(j => j % 3 - 1.0).ToArray());
            AssertSoftmax(rows, Matrix.Softmax(x), ulp: 2.2e-16, smallestNormal: 2.3e-308);
            AssertSoftmax(Shifted(rows, bias.Span.ToArray()), Matrix.SoftmaxOfSum(x, bias), ulp: 2.2e-16, smallestNormal: 2.3e-308);
        }, stream: 46);

    [Fact]
    public void Softmax_of_short_rows_is_the_textbook_formula_in_float() =>
        Properties.PropertyTests.Run(s_rows, rows =>
        {
            var x = TestMatrices.ToFloat(Matrix<double>.FromRows(rows));
            var exact = x.ToRows().Select(row => row.Select(v => (double)v).ToArray()).ToArray();
            AssertSoftmax(exact, TestMatrices.ToDouble(Matrix.Softmax(x)), ulp: 1.2e-7, smallestNormal: 1.2e-38);
        }, stream: 47);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(10)]
    [InlineData(17)]
    [InlineData(64)]
    [InlineData(65)]
    public void Column_sums_of_short_rows_are_the_sums_of_the_columns(int columns)
    {
        var x = TestMatrices.Random(new Random(columns), 200, columns);
        var sums = Matrix.ColumnSums(x);
        for (var j = 0; j < columns; j++)
        {
            var expected = 0.0;
            for (var r = 0; r < x.Rows; r++) expected += x[r, j];
            // 200 terms of at most 1 added in another order: each partial sum rounds by at most 200 ulps of 200.
            Assert.True(Math.Abs(expected - sums[0, j]) <= 200 * 200 * 2.2e-16, $"column {j} of {columns}: {expected:R} against {sums[0, j]:R}");
        }
    }

    /// <summary>Each row plus the bias, in double.</summary>
    private static double[][] Shifted(double[][] rows, double[] bias) => rows.Select(row => row.Select((v, j) => v + bias[j]).ToArray()).ToArray();

    /// <summary>
    /// The softmax of each row as exp(x − max) / Σ exp(x − max) with <see cref="Math.Exp(double)"/>, against what the library
    /// gives. The differences: the exponentials' (an ulp or two each), the sum's order (an ulp per term), and in float the
    /// rounding of x − max (half an ulp of it, which exp turns into |x − max| half-ulps): a relative error of
    /// (columns + 4) ulps four times over, plus |x − max| ulps; results below the smallest normal number, which the
    /// library's exp may flush to zero, compared absolutely. NaN where the formula gives NaN (a NaN in the row, or an
    /// infinite maximum).
    /// </summary>
    private static void AssertSoftmax(double[][] rows, Matrix<double> actual, double ulp, double smallestNormal)
    {
        for (var r = 0; r < rows.Length; r++)
        {
            var row = rows[r];
            var max = row.Any(double.IsNaN) ? double.NaN : row.Max();
            var exponentials = row.Select(v => Math.Exp(v - max)).ToArray();
            var sum = exponentials.Sum();
            for (var j = 0; j < row.Length; j++)
            {
                var (expected, got) = (exponentials[j] / sum, actual[r, j]);
                var where = $"row [{string.Join(", ", row.Select(v => v.ToString("R")))}], element {j}: expected {expected:R}, got {got:R}";
                if (double.IsNaN(expected))
                {
                    Assert.True(double.IsNaN(got), where);
                    continue;
                }
                var spread = double.IsFinite(row[j] - max) ? Math.Abs(row[j] - max) : 0;
                var tolerance = (4 * (row.Length + 4) + spread) * ulp * Math.Abs(expected) + smallestNormal;
                Assert.True(Math.Abs(expected - got) <= tolerance, where);
            }
        }
    }
}
