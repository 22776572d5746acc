using CsCheck;

namespace GradGen.Tests;

/// <summary>The matrix-product kernel against the textbook triple loop, on shapes that hit every edge of its blocking.</summary>
public class KernelTests
{
    public static TheoryData<int, int, int> Shapes => new()
    {
        { 1, 1, 1 }, { 7, 13, 5 }, { 6, 8, 256 }, { 13, 17, 257 }, { 97, 33, 300 }, { 64, 64, 64 },
        // At most one panel of B, so A is read in place (every row count around the micro-tile's 6 and 12, k past a block).
        { 24, 10, 300 }, { 25, 16, 513 }, { 256, 10, 128 }, { 37, 1, 9 }, { 12, 32, 40 }, { 11, 3, 260 },
    };

    /// <summary>
    /// CI's second run asks for the AVX2 path with <c>DOTNET_EnableAVX512=0</c>: this fails if the runtime ignores the
    /// switch (as .NET 10 ignores .NET 8's <c>DOTNET_EnableAVX512F</c>), so the second run cannot silently test AVX-512 again.
    /// </summary>
    [Fact]
    public void The_switch_to_the_AVX2_path_takes_effect()
    {
        var asked = Environment.GetEnvironmentVariable("DOTNET_EnableAVX512") == "0";
        Assert.False(asked && (System.Runtime.Intrinsics.X86.Avx512F.IsSupported || System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated),
            "DOTNET_EnableAVX512=0 is set, yet AVX-512 is in use.");
    }

    /// <summary>CI's third run asks for the 128-bit path with <c>DOTNET_EnableAVX=0</c> (or <c>DOTNET_EnableAVX2=0</c>): this fails if the runtime ignores it.</summary>
    [Fact]
    public void The_switch_to_the_128_bit_path_takes_effect()
    {
        var asked = Environment.GetEnvironmentVariable("DOTNET_EnableAVX") == "0" || Environment.GetEnvironmentVariable("DOTNET_EnableAVX2") == "0";
        Assert.False(asked && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated, "AVX or AVX2 is switched off, yet 256-bit vectors are in use.");
        Assert.False(Environment.GetEnvironmentVariable("DOTNET_EnableAVX") == "0" && System.Runtime.Intrinsics.X86.Avx.IsSupported, "DOTNET_EnableAVX=0 is set, yet AVX is in use.");
    }

    /// <summary>
    /// Random shapes up to 80 in each dimension and random transposes, accumulated into a random C: every blocking edge
    /// and both ways of reading A, beyond the listed shapes. Shrinks to the smallest failing shape.
    /// </summary>
    [Fact]
    public void Products_of_random_shapes_accumulate_what_the_triple_loop_computes()
    {
        var gen = Gen.Select(Gen.Int[1, 80], Gen.Int[1, 80], Gen.Int[1, 80], Gen.Bool, Gen.Bool, Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (m, n, k, transposeA, transposeB, seed) = shape;
            AccumulatesAndOverwrites(m, n, k, transposeA, transposeB, seed);
        }, stream: 29);
    }

    /// <summary>
    /// Random shapes large enough for the cores to share (at least 2¹⁸ multiply-adds): B packed by each thread, or a
    /// transposed one by several together, the rows cut into blocks of whole micro-tiles, partial last panels and tiles. Shrinks to the smallest failing shape.
    /// </summary>
    [Fact]
    [Trait("Lane", "Slow")]
    public void Products_shared_between_the_cores_accumulate_what_the_triple_loop_computes()
    {
        var gen = Gen.Select(Gen.Int[13, 300], Gen.Int[17, 150], Gen.Int[1, 400], Gen.Bool, Gen.Bool, Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (m, n, k, transposeA, transposeB, seed) = shape;
            AccumulatesAndOverwrites(m, n, Math.Max(k, (1 << 18) / (m * n) + 1), transposeA, transposeB, seed);
        }, stream: 31);
    }

    /// <summary>
    /// Products with a transposed A and at most 2¹⁵ outputs, large enough to share (the weight gradients Xᵀ·dZ of a
    /// batch): cut along k into two halves, the second through a buffer, narrow outputs and odd k included.
    /// </summary>
    [Fact]
    [Trait("Lane", "Slow")]
    public void Products_cut_along_k_accumulate_what_the_triple_loop_computes()
    {
        var gen = Gen.Select(Gen.Int[1, 181], Gen.Int[1, 181], Gen.Int[24, 700], Gen.Bool, Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (m, n, k, transposeB, seed) = shape;
            AccumulatesAndOverwrites(m, n, Math.Max(k, (1 << 18) / (m * n) + 1), transposeA: true, transposeB, seed);
        }, stream: 43);
    }

    /// <summary>
    /// Products with a transposed A and at most 16 outputs, computed along the rows of C where the vectors' lanes hold
    /// more of it that way (the weight gradient hᵀ·dz of a layer with few classes): row counts around the tile's height
    /// on every width (a last, partial tile padded), outputs around the tile's five columns, k from one to past the
    /// two-core threshold, a transposed B. Shrinks to the smallest failing shape.
    /// </summary>
    [Fact]
    public void Products_with_a_transposed_A_and_few_outputs_accumulate_what_the_triple_loop_computes()
    {
        var gen = Gen.Select(Gen.Int[1, 140], Gen.Int[1, 16], Gen.Int[1, 900], Gen.Bool, Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (m, n, k, transposeB, seed) = shape;
            AccumulatesAndOverwrites(m, n, k, transposeA: true, transposeB, seed);
        }, stream: 47);
    }

    /// <summary>
    /// Products whose rows of A lie a multiple of 4 KB apart (k of 1024 or 2048: 4 or 8 KB in float, 8 or 16 in double),
    /// where the 512-bit kernel packs a row-major A instead of reading it where it lies: row counts around the tile's
    /// height and past a row block, partial panels, a transposed B. Shrinks to the smallest failing shape.
    /// </summary>
    [Fact]
    [Trait("Lane", "Slow")]
    public void Products_whose_rows_of_A_share_a_cache_set_accumulate_what_the_triple_loop_computes()
    {
        var gen = Gen.Select(Gen.Int[1, 110], Gen.Int[1, 70], Gen.Int[1, 2], Gen.Bool, Gen.Int[0, 1000]);
        Properties.PropertyTests.Run(gen, shape =>
        {
            var (m, n, kilo, transposeB, seed) = shape;
            AccumulatesAndOverwrites(m, n, 1024 * kilo, transposeA: false, transposeB, seed);
        }, stream: 53);
    }

    /// <summary>
    /// A product cut along k gives the same bits whether the crew ran its second half or the caller ran both (several
    /// threads at once: some have the crew, the others run alone), with many outputs and with few (computed along m).
    /// </summary>
    [Theory]
    [InlineData(130)]
    [InlineData(10)]
    public void Products_cut_along_k_are_the_same_with_the_crew_or_alone(int outputs)
    {
        var random = new Random(11);
        var (x, dz) = (TestMatrices.Random(random, 700, 64), TestMatrices.Random(random, 700, outputs));
        var expected = Reference(x, true, dz, false);
        var first = Matrix.MatMul(x, dz, transposeA: true);
        TestMatrices.AssertClose(expected, first, 1e-12 * 700);
        OnThreadsAtOnce(4, _ =>
        {
            for (var repeat = 0; repeat < 20; repeat++) Assert.Equal(first.Span.ToArray(), Matrix.MatMul(x, dz, transposeA: true).Span.ToArray());
        });
    }

    /// <summary>Runs <paramref name="body"/>(i) on <paramref name="count"/> threads at once; fails with what any of them threw.</summary>
    private static void OnThreadsAtOnce(int count, Action<int> body)
    {
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        var threads = Enumerable.Range(0, count).Select(i => new System.Threading.Thread(() =>
        {
            try
            {
                body(i);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToArray();
        foreach (var thread in threads) thread.UnsafeStart();
        foreach (var thread in threads) thread.Join();
        Assert.Empty(errors);
    }

    /// <summary>
    /// op(A)·op(B) of random operands accumulated into a random C in double, then overwriting a random result in float:
    /// whatever it held before is gone.
    /// </summary>
    private static void AccumulatesAndOverwrites(int m, int n, int k, bool transposeA, bool transposeB, int seed)
    {
        var random = new Random(seed);
        var a = transposeA ? TestMatrices.Random(random, k, m) : TestMatrices.Random(random, m, k);
        var b = transposeB ? TestMatrices.Random(random, n, k) : TestMatrices.Random(random, k, n);
        var c = TestMatrices.Random(random, m, n);
        var product = Reference(a, transposeA, b, transposeB);
        var expected = product + c;
        Matrix.MatMulInto(c, a, b, transposeA, transposeB, accumulate: true);
        TestMatrices.AssertClose(expected, c, 1e-12 * k);
        var f = TestMatrices.ToFloat(TestMatrices.Random(random, m, n));
        Matrix.MatMulInto(f, TestMatrices.ToFloat(a), TestMatrices.ToFloat(b), transposeA, transposeB);
        TestMatrices.AssertClose(product, TestMatrices.ToDouble(f), 1e-6 * Math.Sqrt(k) + 1e-6);
    }

    /// <summary>Shapes large enough for the two-core path: the slow lane. The last has C over 1 MB in float and double, whose whole tiles are prefetched before they are computed.</summary>
    public static TheoryData<int, int, int> LargeShapes => new() { { 1023, 65, 31 }, { 200, 190, 520 }, { 520, 520, 7 } };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_product_in_every_transpose_combination(int m, int n, int k) => DoubleProduct(m, n, k);

    [Theory]
    [MemberData(nameof(LargeShapes))]
    [Trait("Lane", "Slow")]
    public void Double_product_of_large_shapes(int m, int n, int k) => DoubleProduct(m, n, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_product_in_every_transpose_combination(int m, int n, int k) => FloatProduct(m, n, k);

    [Theory]
    [MemberData(nameof(LargeShapes))]
    [Trait("Lane", "Slow")]
    public void Float_product_of_large_shapes(int m, int n, int k) => FloatProduct(m, n, k);

    private static void DoubleProduct(int m, int n, int k)
    {
        var random = new Random(m * 31 + n * 7 + k);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var a = transposeA ? TestMatrices.Random(random, k, m) : TestMatrices.Random(random, m, k);
            var b = transposeB ? TestMatrices.Random(random, n, k) : TestMatrices.Random(random, k, n);
            var expected = Reference(a, transposeA, b, transposeB);
            TestMatrices.AssertClose(expected, Matrix.MatMul(a, b, transposeA, transposeB), 1e-12 * k);
        }
    }

    private static void FloatProduct(int m, int n, int k)
    {
        var random = new Random(m * 31 + n * 7 + k + 1);
        foreach (var (transposeA, transposeB) in new[] { (false, false), (true, false), (false, true), (true, true) })
        {
            var a = transposeA ? TestMatrices.Random(random, k, m) : TestMatrices.Random(random, m, k);
            var b = transposeB ? TestMatrices.Random(random, n, k) : TestMatrices.Random(random, k, n);
            var expected = Reference(a, transposeA, b, transposeB);
            var actual = Matrix.MatMul(TestMatrices.ToFloat(a), TestMatrices.ToFloat(b), transposeA, transposeB);
            TestMatrices.AssertClose(expected, TestMatrices.ToDouble(actual), 1e-6 * Math.Sqrt(k) + 1e-6);
        }
    }

    [Fact]
    public void Products_on_several_threads_at_once_share_the_crew_or_run_alone_and_are_right()
    {
        // Large enough for the crew: each thread's products either have it or run alone, never mixing their blocks.
        var random = new Random(7);
        var pairs = Enumerable.Range(0, 4).Select(_ => (A: TestMatrices.Random(random, 250, 160), B: TestMatrices.Random(random, 160, 130))).ToArray();
        var expected = pairs.Select(p => Reference(p.A, false, p.B, false)).ToArray();
        OnThreadsAtOnce(pairs.Length, i =>
        {
            for (var repeat = 0; repeat < 5; repeat++) TestMatrices.AssertClose(expected[i], Matrix.MatMul(pairs[i].A, pairs[i].B), 1e-12 * 160);
        });
    }

    [Fact]
    public void Shapes_that_do_not_chain_name_both_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => Matrix.MatMul(new Matrix<double>(2, 3), new Matrix<double>(4, 5)));
        Assert.Contains("(2×3)", error.Message);
        Assert.Contains("(4×5)", error.Message);
    }

    /// <summary>A result over an operand's elements (the same matrix, or another over its array) is refused, not computed half overwritten.</summary>
    [Fact]
    public void A_product_is_not_written_over_its_own_operand()
    {
        var a = TestMatrices.Random(new Random(3), 40, 40);
        var before = a.Span.ToArray();
        var error = Assert.Throws<ArgumentException>(() => Matrix.MatMulInto(a, a, TestMatrices.Random(new Random(4), 40, 40)));
        Assert.Contains("of a", error.Message);
        var elements = a.Span.ToArray();
        error = Assert.Throws<ArgumentException>(() => Matrix.MatMulInto(new Matrix<double>(40, 40, elements), TestMatrices.Random(new Random(5), 40, 40), new Matrix<double>(40, 40, elements)));
        Assert.Contains("of b", error.Message);
        Assert.Equal(before, a.Span.ToArray());
    }

    internal static Matrix<double> Reference(Matrix<double> a, bool transposeA, Matrix<double> b, bool transposeB)
    {
        var (m, k) = transposeA ? (a.Columns, a.Rows) : (a.Rows, a.Columns);
        var n = transposeB ? b.Rows : b.Columns;
        var c = new Matrix<double>(m, n);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = 0.0;
                for (var p = 0; p < k; p++) sum += (transposeA ? a[p, i] : a[i, p]) * (transposeB ? b[j, p] : b[p, j]);
                c[i, j] = sum;
            }
        }
        return c;
    }
}
