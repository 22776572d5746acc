using System;
using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace GradGen.Kernels;

/// <summary>
/// The matrix product C (+)= op(A)·op(B) over row-major storage, op being the identity or the transpose: the
/// blocked algorithm of BLIS/GotoBLAS. B is packed once per block of k into panels of <see cref="NR"/> columns, A into
/// panels of <see cref="MR"/> rows, both in the order the micro-kernel reads them, and a register-blocked micro-kernel
/// keeps an MR×NR tile of C in twelve 256-bit registers (twenty-four 512-bit ones where the processor has AVX-512), one
/// fused multiply-add per element of B. Transposed operands cost nothing beyond packing, and against a single panel of B
/// (a layer with few outputs) A is not packed at all. Large products share the row blocks of A with a crew of kept
/// threads, one per core.
/// </summary>
internal static class Gemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the micro-kernel runs on 512-bit registers (AVX-512 machines; <c>DOTNET_EnableAVX512=0</c> turns it off on .NET 10, <c>DOTNET_EnableAVX512F=0</c> on .NET 8 and 9).</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Rows of a micro-tile: 6 on sixteen 256-bit registers, 12 on thirty-two 512-bit ones.</summary>
    private static readonly int MR = Wide ? 12 : 6;

    /// <summary>Columns of a micro-tile: two vectors.</summary>
    private static readonly int NR = 2 * (Wide ? Vector512<T>.Count : Vector256<T>.Count);

    /// <summary>Block sizes: a KC×NR panel of B stays in L1, an MC×KC block of A in L2.</summary>
    private const int KC = 256, MC = 96;

    /// <summary>Below this many multiply-adds, packing costs more than it saves.</summary>
    private const long SmallProduct = 16 * 16 * 16;

    /// <summary>Above this many multiply-adds, the row blocks are shared between the cores.</summary>
    private const long ParallelProduct = 96L * 96 * 96 * 4;

    /// <param name="a">op(A) is m×k: A is m×k (row stride k), or k×m (row stride m) when <paramref name="transposeA"/>.</param>
    /// <param name="b">op(B) is k×n: B is k×n (row stride n), or n×k (row stride k) when <paramref name="transposeB"/>.</param>
    /// <param name="c">m×n, row stride n; added to when <paramref name="accumulate"/>, overwritten otherwise.</param>
    /// <param name="transposeA">Whether op(A) is Aᵀ.</param>
    /// <param name="transposeB">Whether op(B) is Bᵀ.</param>
    /// <param name="m">The rows of op(A) and C.</param>
    /// <param name="n">The columns of op(B) and C.</param>
    /// <param name="k">The columns of op(A), the rows of op(B).</param>
    /// <param name="accumulate">Whether to add the product to C rather than overwrite C.</param>
    public static void Multiply(T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int m, int n, int k, bool accumulate)
    {
        if (!accumulate) c.AsSpan(0, m * n).Clear();
        if (m == 0 || n == 0 || k == 0) return;
        if (!Vector256.IsHardwareAccelerated || (long)m * n * k < SmallProduct)
        {
            Naive(a, transposeA, b, transposeB, c, m, n, k);
            return;
        }

        var panelsN = (n + NR - 1) / NR;
        var packedB = ArrayPool<T>.Shared.Rent(KC * panelsN * NR);
        try
        {
            for (var p0 = 0; p0 < k; p0 += KC)
            {
                var kc = Math.Min(KC, k - p0);
                PackB(b, transposeB, packedB, p0, kc, n, k);
                var blocks = (m + MC - 1) / MC;
                // Large products share their row blocks with the crew's threads, unless another product has the crew.
                var shared = (long)m * n * k >= ParallelProduct && blocks > 1 && Crew.Shared is { } crew && crew.TryRun(a, transposeA, packedB, c, blocks, p0, kc, m, n, k);
                if (!shared)
                {
                    for (var block = 0; block < blocks; block++) RowBlock(a, transposeA, packedB, c, block * MC, p0, kc, m, n, k);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packedB);
        }
    }

    /// <summary>
    /// Threads kept for the products large enough to share between the cores, one per core but the caller's: they wait
    /// for work, take row blocks one at a time with the caller (whoever is free takes the next), and signal when done.
    /// A kept crew rather than <c>Parallel.For</c>, whose closure and tasks would allocate on every product: a training
    /// step of any size allocates nothing. One product uses the crew at a time; another thread's meanwhile runs alone.
    /// </summary>
    private sealed class Crew
    {
        /// <summary>The crew, made at the first large product; none on one core.</summary>
        public static Crew? Shared => Environment.ProcessorCount > 1 ? s_crew.Value : null;

        private static readonly Lazy<Crew> s_crew = new(() => new Crew(Math.Min(Environment.ProcessorCount, 16) - 1));

        private readonly ManualResetEventSlim[] _start, _done;
        private int _busy;

        // The product being shared: written by the caller before it signals the start, read by the crew after.
        private T[] _a = [], _packedB = [], _c = [];
        private bool _transposeA;
        private int _blocks, _p0, _kc, _m, _n, _k, _next;
        private Exception? _error;

        private Crew(int threads)
        {
            (_start, _done) = (new ManualResetEventSlim[threads], new ManualResetEventSlim[threads]);
            for (var i = 0; i < threads; i++)
            {
                (_start[i], _done[i]) = (new ManualResetEventSlim(false), new ManualResetEventSlim(false));
                var index = i;
                new Thread(() => Serve(index)) { IsBackground = true, Name = "GradGen matrix product " + (i + 1) }.Start();
            }
        }

        /// <summary>Runs the row blocks with the crew; false (nothing run) when another product has it.</summary>
        public bool TryRun(T[] a, bool transposeA, T[] packedB, T[] c, int blocks, int p0, int kc, int m, int n, int k)
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
            (_a, _transposeA, _packedB, _c, _blocks, _p0, _kc, _m, _n, _k, _next, _error) = (a, transposeA, packedB, c, blocks, p0, kc, m, n, k, 0, null);
            foreach (var start in _start) start.Set();
            Work();
            foreach (var done in _done)
            {
                done.Wait();
                done.Reset();
            }
            var error = _error;
            (_a, _packedB, _c, _error) = ([], [], [], null);
            Volatile.Write(ref _busy, 0);
            if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            return true;
        }

        private void Serve(int index)
        {
            while (true)
            {
                _start[index].Wait();
                _start[index].Reset();
                Work();
                _done[index].Set();
            }
        }

        /// <summary>Takes the next row block until none is left.</summary>
        private void Work()
        {
            try
            {
                int block;
                while ((block = Interlocked.Increment(ref _next) - 1) < _blocks) RowBlock(_a, _transposeA, _packedB, _c, block * MC, _p0, _kc, _m, _n, _k);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
        }
    }

    /// <summary>
    /// Rows i0…i0+MC of C, from columns p0…p0+kc of op(A) and the packed rows p0…p0+kc of op(B). A is packed so that each
    /// of B's panels reads it in order, except against a single panel of B, where packing would cost as much as the one
    /// pass that uses it: the micro-kernel then reads A where it lies (row stride and step along k given), and only a
    /// last, partial panel is packed, padded with zeros.
    /// </summary>
    private static void RowBlock(T[] a, bool transposeA, T[] packedB, T[] c, int i0, int p0, int kc, int m, int n, int k)
    {
        var mc = Math.Min(MC, m - i0);
        var inPlace = n <= NR;
        var packedA = ArrayPool<T>.Shared.Rent(inPlace ? MR * kc : ((mc + MR - 1) / MR) * MR * kc);
        try
        {
            if (!inPlace) PackA(a, transposeA, packedA, i0, mc, p0, kc, m, k);
            for (var j0 = 0; j0 < n; j0 += NR)
            {
                ref var panelB = ref packedB[(j0 / NR) * NR * kc];
                for (var i = 0; i < mc; i += MR)
                {
                    var rows = Math.Min(MR, mc - i);
                    ref var panelA = ref packedA[inPlace ? 0 : (i / MR) * MR * kc];
                    var (step, rowStride) = (MR, (nint)1);
                    if (inPlace && rows == MR)
                    {
                        panelA = ref transposeA ? ref a[p0 * m + i0 + i] : ref a[(i0 + i) * k + p0];
                        (step, rowStride) = transposeA ? (m, 1) : (1, k);
                    }
                    else if (inPlace)
                    {
                        PackA(a, transposeA, packedA, i0 + i, rows, p0, kc, m, k);
                    }
                    if (Wide) WideMicroKernel(ref panelA, step, rowStride, ref panelB, kc, c, i0 + i, j0, rows, Math.Min(NR, n - j0), n);
                    else MicroKernel(ref panelA, step, rowStride, ref panelB, kc, c, i0 + i, j0, rows, Math.Min(NR, n - j0), n);
                }
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// op(A)[i0 + r, p0 + p] → packed[(r / MR)·MR·kc + p·MR + r % MR], rows past m as zeros. Each loop reads A along its
    /// rows (a transposed A by its stored rows, MR neighbours at a time), never across them.
    /// </summary>
    private static void PackA(T[] a, bool transposeA, T[] packed, int i0, int mc, int p0, int kc, int m, int k)
    {
        for (var panel = 0; panel * MR < mc; panel++)
        {
            var offset = panel * MR * kc;
            var height = Math.Min(MR, mc - panel * MR);
            var first = i0 + panel * MR;
            if (transposeA)
            {
                for (var p = 0; p < kc; p++)
                {
                    var target = packed.AsSpan(offset + p * MR, MR);
                    a.AsSpan((p0 + p) * m + first, height).CopyTo(target);
                    target[height..].Clear();
                }
                continue;
            }
            if (height < MR) packed.AsSpan(offset, MR * kc).Clear();
            ref var destination = ref packed[offset];
            for (var r = 0; r < height; r++)
            {
                ref var source = ref a[(first + r) * k + p0];
                ref var column = ref Unsafe.Add(ref destination, r);
                for (var p = 0; p < kc; p++) Unsafe.Add(ref column, p * MR) = Unsafe.Add(ref source, p);
            }
        }
    }

    /// <summary>
    /// op(B)[p0 + p, j] → packed[(j / NR)·NR·kc + p·NR + j % NR], columns past n as zeros. Each loop reads B along its
    /// rows: a transposed B one stored row (a column of op(B)) at a time.
    /// </summary>
    private static void PackB(T[] b, bool transposeB, T[] packed, int p0, int kc, int n, int k)
    {
        for (var j0 = 0; j0 < n; j0 += NR)
        {
            var offset = (j0 / NR) * NR * kc;
            var width = Math.Min(NR, n - j0);
            if (transposeB)
            {
                for (var j = 0; j < width; j++)
                {
                    var column = (j0 + j) * k + p0;
                    for (var p = 0; p < kc; p++) packed[offset + p * NR + j] = b[column + p];
                }
                if (width < NR)
                {
                    for (var p = 0; p < kc; p++) packed.AsSpan(offset + p * NR + width, NR - width).Clear();
                }
                continue;
            }
            for (var p = 0; p < kc; p++)
            {
                var target = packed.AsSpan(offset + p * NR, NR);
                b.AsSpan((p0 + p) * n + j0, width).CopyTo(target);
                target[width..].Clear();
            }
        }
    }

    /// <summary>C[i0…i0+rows, j0…j0+columns] += the MR×NR product of one packed panel of A and one of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel(ref T a, int step, nint rowStride, ref T b, int kc, T[] c, int i0, int j0, int rows, int columns, int n)
    {
        var w = (nuint)Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        nint o1 = 1 * rowStride, o2 = 2 * rowStride, o3 = 3 * rowStride, o4 = 4 * rowStride, o5 = 5 * rowStride;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = Vector256.LoadUnsafe(ref b, w);
            var a0 = Vector256.Create(a);
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref a, o1));
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref a, o2));
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref a, o3));
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(Unsafe.Add(ref a, o4));
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(Unsafe.Add(ref a, o5));
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);
            a = ref Unsafe.Add(ref a, step);
            b = ref Unsafe.Add(ref b, 2 * (int)w);
        }

        if (rows == MR && columns == NR)
        {
            ref var row = ref c[i0 * n + j0];
            Add(ref row, c00, c01, w);
            Add(ref Unsafe.Add(ref row, n), c10, c11, w);
            Add(ref Unsafe.Add(ref row, 2 * n), c20, c21, w);
            Add(ref Unsafe.Add(ref row, 3 * n), c30, c31, w);
            Add(ref Unsafe.Add(ref row, 4 * n), c40, c41, w);
            Add(ref Unsafe.Add(ref row, 5 * n), c50, c51, w);
            return;
        }

        // An edge tile: through a buffer, keeping only the rows and columns inside C.
        Span<T> tile = stackalloc T[MR * 2 * Vector256<T>.Count];
        ref var t = ref MemoryMarshal.GetReference(tile);
        var stride = (nuint)NR;
        c00.StoreUnsafe(ref t); c01.StoreUnsafe(ref t, w);
        c10.StoreUnsafe(ref t, stride); c11.StoreUnsafe(ref t, stride + w);
        c20.StoreUnsafe(ref t, 2 * stride); c21.StoreUnsafe(ref t, 2 * stride + w);
        c30.StoreUnsafe(ref t, 3 * stride); c31.StoreUnsafe(ref t, 3 * stride + w);
        c40.StoreUnsafe(ref t, 4 * stride); c41.StoreUnsafe(ref t, 4 * stride + w);
        c50.StoreUnsafe(ref t, 5 * stride); c51.StoreUnsafe(ref t, 5 * stride + w);
        AddEdge(tile, c, i0, j0, rows, columns, n);
    }

    /// <summary>
    /// <see cref="MicroKernel"/> on 512-bit registers: a tile twice as tall (MR = 12) and twice as wide in twenty-four of
    /// them, with room for the two rows of B and a broadcast. A copy of it over <c>Vector512</c> rather than one kernel
    /// generic over the width: .NET 8, which the runtime targets, has no public interface over the vector types.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WideMicroKernel(ref T a, int step, nint rowStride, ref T b, int kc, T[] c, int i0, int j0, int rows, int columns, int n)
    {
        var w = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        nint o1 = 1 * rowStride, o2 = 2 * rowStride, o3 = 3 * rowStride, o4 = 4 * rowStride, o5 = 5 * rowStride, o6 = 6 * rowStride, o7 = 7 * rowStride, o8 = 8 * rowStride, o9 = 9 * rowStride, o10 = 10 * rowStride, o11 = 11 * rowStride;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = Vector512.LoadUnsafe(ref b, w);
            var a0 = Vector512.Create(Unsafe.Add(ref a, 0));
            c00 = MultiplyAdd(a0, b0, c00);
            c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(Unsafe.Add(ref a, o1));
            c10 = MultiplyAdd(a1, b0, c10);
            c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(Unsafe.Add(ref a, o2));
            c20 = MultiplyAdd(a2, b0, c20);
            c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(Unsafe.Add(ref a, o3));
            c30 = MultiplyAdd(a3, b0, c30);
            c31 = MultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(Unsafe.Add(ref a, o4));
            c40 = MultiplyAdd(a4, b0, c40);
            c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(Unsafe.Add(ref a, o5));
            c50 = MultiplyAdd(a5, b0, c50);
            c51 = MultiplyAdd(a5, b1, c51);
            var a6 = Vector512.Create(Unsafe.Add(ref a, o6));
            c60 = MultiplyAdd(a6, b0, c60);
            c61 = MultiplyAdd(a6, b1, c61);
            var a7 = Vector512.Create(Unsafe.Add(ref a, o7));
            c70 = MultiplyAdd(a7, b0, c70);
            c71 = MultiplyAdd(a7, b1, c71);
            var a8 = Vector512.Create(Unsafe.Add(ref a, o8));
            c80 = MultiplyAdd(a8, b0, c80);
            c81 = MultiplyAdd(a8, b1, c81);
            var a9 = Vector512.Create(Unsafe.Add(ref a, o9));
            c90 = MultiplyAdd(a9, b0, c90);
            c91 = MultiplyAdd(a9, b1, c91);
            var a10 = Vector512.Create(Unsafe.Add(ref a, o10));
            c100 = MultiplyAdd(a10, b0, c100);
            c101 = MultiplyAdd(a10, b1, c101);
            var a11 = Vector512.Create(Unsafe.Add(ref a, o11));
            c110 = MultiplyAdd(a11, b0, c110);
            c111 = MultiplyAdd(a11, b1, c111);
            a = ref Unsafe.Add(ref a, step);
            b = ref Unsafe.Add(ref b, 2 * (int)w);
        }

        if (rows == 12 && columns == NR)
        {
            ref var row = ref c[i0 * n + j0];
            Add(ref row, c00, c01, w);
            Add(ref Unsafe.Add(ref row, 1 * n), c10, c11, w);
            Add(ref Unsafe.Add(ref row, 2 * n), c20, c21, w);
            Add(ref Unsafe.Add(ref row, 3 * n), c30, c31, w);
            Add(ref Unsafe.Add(ref row, 4 * n), c40, c41, w);
            Add(ref Unsafe.Add(ref row, 5 * n), c50, c51, w);
            Add(ref Unsafe.Add(ref row, 6 * n), c60, c61, w);
            Add(ref Unsafe.Add(ref row, 7 * n), c70, c71, w);
            Add(ref Unsafe.Add(ref row, 8 * n), c80, c81, w);
            Add(ref Unsafe.Add(ref row, 9 * n), c90, c91, w);
            Add(ref Unsafe.Add(ref row, 10 * n), c100, c101, w);
            Add(ref Unsafe.Add(ref row, 11 * n), c110, c111, w);
            return;
        }

        Span<T> tile = stackalloc T[12 * 2 * Vector512<T>.Count];
        ref var t = ref MemoryMarshal.GetReference(tile);
        var stride = (nuint)NR;
        c00.StoreUnsafe(ref t); c01.StoreUnsafe(ref t, w);
        c10.StoreUnsafe(ref t, 1 * stride); c11.StoreUnsafe(ref t, 1 * stride + w);
        c20.StoreUnsafe(ref t, 2 * stride); c21.StoreUnsafe(ref t, 2 * stride + w);
        c30.StoreUnsafe(ref t, 3 * stride); c31.StoreUnsafe(ref t, 3 * stride + w);
        c40.StoreUnsafe(ref t, 4 * stride); c41.StoreUnsafe(ref t, 4 * stride + w);
        c50.StoreUnsafe(ref t, 5 * stride); c51.StoreUnsafe(ref t, 5 * stride + w);
        c60.StoreUnsafe(ref t, 6 * stride); c61.StoreUnsafe(ref t, 6 * stride + w);
        c70.StoreUnsafe(ref t, 7 * stride); c71.StoreUnsafe(ref t, 7 * stride + w);
        c80.StoreUnsafe(ref t, 8 * stride); c81.StoreUnsafe(ref t, 8 * stride + w);
        c90.StoreUnsafe(ref t, 9 * stride); c91.StoreUnsafe(ref t, 9 * stride + w);
        c100.StoreUnsafe(ref t, 10 * stride); c101.StoreUnsafe(ref t, 10 * stride + w);
        c110.StoreUnsafe(ref t, 11 * stride); c111.StoreUnsafe(ref t, 11 * stride + w);
        AddEdge(tile, c, i0, j0, rows, columns, n);
    }

    /// <summary>Adds the rows and columns of an edge tile (MR×NR, row stride NR) that lie inside C.</summary>
    private static void AddEdge(ReadOnlySpan<T> tile, T[] c, int i0, int j0, int rows, int columns, int n)
    {
        ref var source = ref MemoryMarshal.GetReference(tile);
        for (var r = 0; r < rows; r++)
        {
            var row = c.AsSpan((i0 + r) * n + j0, columns);
            for (var j = 0; j < row.Length; j++) row[j] += Unsafe.Add(ref source, r * NR + j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref T row, Vector512<T> left, Vector512<T> right, nuint w)
    {
        (Vector512.LoadUnsafe(ref row) + left).StoreUnsafe(ref row);
        (Vector512.LoadUnsafe(ref row, w) + right).StoreUnsafe(ref row, w);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(double)) return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref T row, Vector256<T> left, Vector256<T> right, nuint w)
    {
        (Vector256.LoadUnsafe(ref row) + left).StoreUnsafe(ref row);
        (Vector256.LoadUnsafe(ref row, w) + right).StoreUnsafe(ref row, w);
    }

    /// <summary>a·b + c, fused (one rounding) where the processor has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (Fma.IsSupported)
        {
            if (typeof(T) == typeof(double)) return Fma.MultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
            if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }
        return a * b + c;
    }

    /// <summary>The textbook triple loop, in the order that walks rows of B and C: for small products.</summary>
    private static void Naive(T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int m, int n, int k)
    {
        for (var i = 0; i < m; i++)
        {
            for (var p = 0; p < k; p++)
            {
                var aip = transposeA ? a[p * m + i] : a[i * k + p];
                if (transposeB)
                {
                    for (var j = 0; j < n; j++) c[i * n + j] += aip * b[j * k + p];
                }
                else
                {
                    for (var j = 0; j < n; j++) c[i * n + j] += aip * b[p * n + j];
                }
            }
        }
    }
}
