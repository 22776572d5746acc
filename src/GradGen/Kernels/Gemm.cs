using System;
using System.Diagnostics;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradGen.Kernels;

/// <summary>
/// The matrix product C (+)= op(A)·op(B) over row-major storage, op being the identity or the transpose: the
/// blocked algorithm of BLIS/GotoBLAS. B is packed once per block of k into panels of <see cref="NR"/> columns in the
/// order the micro-kernel reads them (read where it lies when few rows of C read it: <see cref="ReadsBInPlace"/>), and a register-blocked micro-kernel keeps an MR×NR tile of C in twelve 256-bit
/// registers (twenty-four 512-bit ones where the processor has AVX-512, twelve 128-bit ones where it has no AVX2), one
/// fused multiply-add per element of B, and one vector of them where a panel's columns fit in one. A is read where it lies, MR rows at a time, except a
/// transposed A against many panels of B, packed into panels of <see cref="MR"/> rows. Large products share their
/// row blocks with the <see cref="Crew"/>, each thread packing B for itself; with a transposed A and few outputs, the two
/// halves of k (<see cref="HalvesOfK"/>). A transposed A against at most 16 outputs is computed with vectors along the
/// rows of C instead (<see cref="ComputesAlongM"/>, Gemm.FewOutputs.cs). Every hot method is compiled fully optimized at
/// its first call (<c>AggressiveOptimization</c>), so that under the JIT the first products run as fast as the
/// thousandth, with or without tiered compilation and profile data.
/// </summary>
internal static partial class Gemm<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Whether the micro-kernel runs on 512-bit registers (AVX-512 machines; <c>DOTNET_EnableAVX512=0</c> turns it off on .NET 10, <c>DOTNET_EnableAVX512F=0</c> on .NET 8 and 9).</summary>
    private static readonly bool Wide = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Whether it runs on 128-bit registers: processors without AVX2 (older x86, ARM64; <c>DOTNET_EnableAVX2=0</c> on one with it).</summary>
    private static readonly bool Narrow = !Vector256.IsHardwareAccelerated;

    /// <summary>Rows of a micro-tile: 6 on sixteen 128- or 256-bit registers, 12 on thirty-two 512-bit ones.</summary>
    private static readonly int MR = Wide ? 12 : 6;

    /// <summary>Columns of a micro-tile: two vectors.</summary>
    private static readonly int NR = 2 * (Wide ? Vector512<T>.Count : Narrow ? Vector128<T>.Count : Vector256<T>.Count);

    /// <summary>Block sizes: a KC×NR panel of B stays in L1; a row block has at most MC rows.</summary>
    private const int KC = 256, MC = 96;

    /// <summary>Below this many multiply-adds, packing costs more than it saves.</summary>
    private const long SmallProduct = 16 * 16 * 16;

    /// <summary>
    /// From this many multiply-adds on (64×64·64×64), products are shared between the cores: since each thread packs
    /// B for itself, the batch-256 step's products with ten outputs (a third of a million) gain a quarter to a third
    /// (256×128·128×10 doubles: 13.3 → 8.3 µs), and the step 5 %.
    /// </summary>
    private const long ParallelProduct = 1L << 18;

    /// <summary>
    /// Above this many bytes of C, the kernels prefetch each whole tile of C before computing it
    /// (<see cref="PrefetchTile"/>): C then lies beyond L2, and the tile's rows (two lines each, or more when rows
    /// straddle them) arrive during the kernel's loop instead of stalling its end. On one AVX2 core, 1024² doubles went
    /// from 35 to 39 GFLOP/s and floats gained 1–2 %; C of 256 KB (256×128 doubles, in L2) lost 1.5 %. The 512-bit
    /// kernel gained nothing on Sapphire Rapids, and 2–4 % on Zen 4, which splits each 512-bit multiply-add in two
    /// halves (1024² on one core, three alternating runs: doubles 44.6 → 46.3 GFLOP/s, floats 91 → 94).
    /// </summary>
    private const long PrefetchedC = 1L << 20;

    /// <summary>The most rows of C and bytes of a block of B for which B is read in place (<see cref="ReadsBInPlace"/>).</summary>
    private const int InPlaceBRows = 64, InPlaceBBytes = 128 * 1024;

    /// <summary>Up to this many outputs, a shared product with a transposed A is cut along k (<see cref="HalvesOfK"/>).</summary>
    private const int HalvedOutputs = 1 << 15;

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
        if (m == 0 || n == 0 || k == 0 || !Vector128.IsHardwareAccelerated || (long)m * n * k < SmallProduct)
        {
            if (!accumulate) c.AsSpan(0, m * n).Clear();
            Naive(a, transposeA, b, transposeB, c, m, n, k);
            return;
        }

        var large = (long)m * n * k >= ParallelProduct;
        if (transposeA && ComputesAlongM(m, n))
        {
            HalvesOfK.ForThisThread.Run(a, b, transposeB, c, m, n, k, accumulate, alongM: true, halves: large);
            return;
        }
        if (transposeA && (long)m * n <= HalvedOutputs && large)
        {
            HalvesOfK.ForThisThread.Run(a, b, transposeB, c, m, n, k, accumulate, alongM: false, halves: true);
            return;
        }
        Passes(a, transposeA, b, transposeB, c, 0, k, m, n, k, accumulate, share: true);
    }

    /// <summary>
    /// C (+)= the product over rows from…to−1 of op(B) (columns of op(A)), one pass per block of at most KC of them.
    /// Large products share each pass's row blocks with the crew when <paramref name="share"/>.
    /// </summary>
    private static void Passes(T[] a, bool transposeA, T[] b, bool transposeB, T[] c, int from, int to, int m, int n, int k, bool accumulate, bool share)
    {
        var packedB = PackBuffer.ForB.Get(KC * ((n + NR - 1) / NR) * NR);
        for (var p0 = from; p0 < to; p0 += KC)
        {
            var kc = Math.Min(KC, to - p0);
            // Large products share their row blocks with the crew's threads (each packs B), unless another product has
            // the crew. The first pass over k writes C unless the product is added to it: C is neither cleared nor read.
            var overwrite = !accumulate && p0 == from;
            var shared = share && (long)m * n * k >= ParallelProduct && m > MR && Crew.Shared is { } crew && SharedPass.ForThisThread.TryRun(crew, a, transposeA, b, transposeB, packedB, c, p0, kc, m, n, k, overwrite);
            if (!shared)
            {
                var bInPlace = ReadsBInPlace(transposeB, m, n, kc);
                if (!bInPlace) PackB(b, transposeB, packedB, p0, kc, n, k);
                var blocks = RowBlocks(m, 1);
                for (var block = 0; block < blocks; block++) RowBlock(a, transposeA, bInPlace ? b.AsSpan(p0 * n) : packedB, bInPlace, c, block, blocks, p0, kc, m, n, k, overwrite);
            }
        }
    }

    /// <summary>
    /// Whether the micro-kernels read B where it lies, a row apart, rather than packed: when few tiles of C read each
    /// panel (at most <see cref="InPlaceBRows"/> rows of C), B's rows hold whole panels (not transposed, n a multiple
    /// of NR) and the block of B is small (at most <see cref="InPlaceBBytes"/>). Packing it then costs more than it
    /// saves: the weight gradient xᵀ·dz1 of the batch-256 step (64×256ᵀ·256×128, cut along k) went from 76 to 68 µs
    /// in doubles on AVX2, 36 to 35 in floats; AVX-512 the same. With more rows, packing wins: 128×256ᵀ·256×128 was
    /// 148 µs packed and 172 in place, 256×256·256×128 223 and 231.
    /// </summary>
    private static bool ReadsBInPlace(bool transposeB, int m, int n, int kc) =>
        !transposeB && m <= InPlaceBRows && n % NR == 0 && (long)kc * n * Unsafe.SizeOf<T>() <= InPlaceBBytes;

    /// <summary>
    /// How many row blocks of at most MC rows to cut m rows into, a multiple of the threads that share them where there
    /// are enough micro-tiles: 1024 rows in eleven blocks of 96 left one core 64 rows of work idle at the end of every
    /// pass over k, twelve blocks of 84 or 96 keep both busy.
    /// </summary>
    private static int RowBlocks(int m, int threads)
    {
        var tiles = (m + MR - 1) / MR;
        var blocks = (tiles + MC / MR - 1) / (MC / MR);
        return Math.Min(tiles, (blocks + threads - 1) / threads * threads);
    }

    /// <summary>
    /// One product's pass over a block of k, shared with the crew: each thread packs all of B for itself (packing it
    /// twice is cheaper than reading the panels the other core packed: at 64×256ᵀ·256×128 doubles 40 µs instead of 63,
    /// at 1024² floats 3 % faster), then takes row blocks, its own <see cref="Portions"/> first (C's rows stay on one
    /// core from one pass over k to the next, and into the pass after the product). One per thread, reused.
    /// </summary>
    private sealed class SharedPass : ICrewWork
    {
        [ThreadStatic] private static SharedPass? t_pass;

        public static SharedPass ForThisThread => t_pass ??= new SharedPass();

        private T[] _a = [], _b = [], _c = [];
        private ArraySegment<T> _packedB;
        private bool _transposeA, _transposeB, _overwrite;
        private readonly Portions _rowBlocks = new();
        private int _p0, _kc, _m, _n, _k;

        /// <summary>Runs the row blocks with the crew; false (nothing run) when other work has the crew.</summary>
        public bool TryRun(Crew crew, T[] a, bool transposeA, T[] b, bool transposeB, ArraySegment<T> packedB, T[] c, int p0, int kc, int m, int n, int k, bool overwrite)
        {
            (_a, _transposeA, _b, _transposeB, _packedB, _c) = (a, transposeA, b, transposeB, packedB, c);
            (_p0, _kc, _m, _n, _k, _overwrite) = (p0, kc, m, n, k, overwrite);
            _rowBlocks.Reset(RowBlocks(m, Crew.Threads));
            try
            {
                return crew.TryRun(this);
            }
            finally
            {
                (_a, _b, _packedB, _c) = ([], [], default, []);
            }
        }

        /// <summary>Packs B into this thread's buffer (the caller's: the one it was given), then takes row blocks until none is left.</summary>
        public void Work(int thread)
        {
            var bInPlace = ReadsBInPlace(_transposeB, _m, _n, _kc);
            var b = bInPlace ? _b.AsSpan(_p0 * _n) : thread == 0 ? _packedB : PackBuffer.ForB.Get(_packedB.Count);
            if (!bInPlace) PackB(_b, _transposeB, b, _p0, _kc, _n, _k);
            int block;
            while ((block = _rowBlocks.Take(thread)) >= 0) RowBlock(_a, _transposeA, b, bInPlace, _c, block, _rowBlocks.Count, _p0, _kc, _m, _n, _k, _overwrite);
        }
    }

    /// <summary>
    /// A product with a transposed A and few outputs, Aᵀ·op(B), cut along k into two halves rather than into row blocks
    /// of C: the weight gradient Xᵀ·dZ of a batch, whose k is the batch. Each thread then reads the rows of X and dZ
    /// that the passes before it wrote on its own core, where a row block of C reads every row of both (batch 256,
    /// hᵀ·dz2 inside the step: 22 → 10 µs). The first half goes to C, the second to a buffer added to C after both,
    /// whichever threads run them and on one core too: the sum is the same on any number of cores. Computed along m
    /// (<see cref="AlongM"/>), each half goes to a buffer of Cᵀ, both added to C after; a product too small to share
    /// is then one part, the whole of k. One per thread, reused.
    /// </summary>
    private sealed class HalvesOfK : ICrewWork
    {
        [ThreadStatic] private static HalvesOfK? t_halves;

        public static HalvesOfK ForThisThread => t_halves ??= new HalvesOfK();

        private readonly Portions _halves = new();
        private T[] _a = [], _b = [], _c = [], _secondHalf = [], _firstTransposed = [], _secondTransposed = [];
        private bool _transposeB, _accumulate, _alongM;
        private int _m, _n, _k, _parts;

        /// <param name="alongM">Whether each half is computed by <see cref="AlongM"/> into a buffer of Cᵀ, both then added to C.</param>
        /// <param name="halves">Whether k is cut in two (shared with the crew) or computed whole.</param>
        public void Run(T[] a, T[] b, bool transposeB, T[] c, int m, int n, int k, bool accumulate, bool alongM, bool halves)
        {
            (_a, _b, _transposeB, _c, _m, _n, _k, _accumulate, _alongM, _parts) = (a, b, transposeB, c, m, n, k, accumulate, alongM, halves ? 2 : 1);
            var transposedLength = TransposedRows(n) * TransposedStride(m);
            if (alongM && _firstTransposed.Length < transposedLength) _firstTransposed = GC.AllocateUninitializedArray<T>(transposedLength);
            if (alongM && halves && _secondTransposed.Length < transposedLength) _secondTransposed = GC.AllocateUninitializedArray<T>(transposedLength);
            if (!alongM && halves && _secondHalf.Length < m * n) _secondHalf = GC.AllocateUninitializedArray<T>(m * n);
            _halves.Reset(_parts);
            try
            {
                if (!halves || Crew.Shared is not { } crew || !crew.TryRun(this)) Work(0);
            }
            finally
            {
                (_a, _b, _c) = ([], [], []);
            }
            if (alongM) AddTransposed(_firstTransposed, halves ? _secondTransposed : default, c, m, n, accumulate);
            else if (halves) TensorPrimitives.Add(c.AsSpan(0, m * n), _secondHalf.AsSpan(0, m * n), c.AsSpan(0, m * n));
        }

        public void Work(int thread)
        {
            int half;
            while ((half = _halves.Take(thread)) >= 0)
            {
                var (from, to) = _parts == 1 ? (0, _k) : half == 0 ? (0, _k / 2) : (_k / 2, _k);
                if (_alongM) AlongM(_a, _b, _transposeB, half == 0 ? _firstTransposed : _secondTransposed, from, to, _m, _n, _k);
                else Passes(_a, true, _b, _transposeB, half == 0 ? _c : _secondHalf, from, to, _m, _n, _k, half == 0 && _accumulate, share: false);
            }
        }
    }

    /// <summary>
    /// A thread's buffer for packed panels: pinned, and handed out from its first 64-byte boundary, so that no 512-bit
    /// load from a panel straddles two cache lines (a 1024² product is about 3 % faster than from panels one element
    /// off). It grows when a larger product needs it and is kept for the thread's life: a steady training step
    /// allocates nothing.
    /// </summary>
    private sealed class PackBuffer
    {
        [ThreadStatic] private static PackBuffer? t_a, t_b;

        /// <summary>This thread's buffer for panels of A.</summary>
        public static PackBuffer ForA => t_a ??= new PackBuffer();

        /// <summary>This thread's buffer for panels of B.</summary>
        public static PackBuffer ForB => t_b ??= new PackBuffer();

        private const int LineBytes = 64;
        private T[] _array = [];
        private int _start;

        /// <summary>The first <paramref name="length"/> elements from the boundary; what they held is left.</summary>
        public ArraySegment<T> Get(int length)
        {
            if (_start + length > _array.Length)
            {
                _array = GC.AllocateUninitializedArray<T>(length + LineBytes / Unsafe.SizeOf<T>(), pinned: true);
                var address = Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref MemoryMarshal.GetArrayDataReference(_array));
                _start = (int)((LineBytes - address % LineBytes) % LineBytes) / Unsafe.SizeOf<T>();
            }
            return new ArraySegment<T>(_array, _start, length);
        }
    }

    /// <summary>
    /// Row block <paramref name="block"/> of <paramref name="blocks"/> of C (whole micro-tiles, at most MC rows), from
    /// columns p0…p0+kc of op(A) and the packed rows p0…p0+kc of op(B). The micro-kernel reads A where it lies (row
    /// stride and step along k given), a last, partial tile packed and padded with zeros; or, for a transposed A against
    /// many panels, the block packed once so that each panel reads it in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowBlock(T[] a, bool transposeA, Span<T> b, bool bInPlace, T[] c, int block, int blocks, int p0, int kc, int m, int n, int k, bool overwrite)
    {
        // Whole micro-tiles, shared out as evenly as they go. A last, partial tile counts as two: it is packed, then
        // computed as a whole one. Counted as one, it left the second half of 256 rows (the crew's) a tile and a packing
        // more than the first, and the caller waited 11 µs for it in the batch-256 step's x·W1 (64 µs); 6 µs now.
        var tiles = (m + MR - 1) / MR;
        var weight = tiles + (m % MR == 0 ? 0 : 1);
        var i0 = Math.Min(tiles, (int)((long)block * weight / blocks)) * MR;
        var mc = Math.Min(m, Math.Min(tiles, (int)((long)(block + 1) * weight / blocks)) * MR) - i0;
        // A is read where it lies, not packed, unless it is transposed and B has more than four panels, or its rows
        // evict each other from L1 (RowsShareASet): measured, packing a row-major A cost more than it saved at every
        // size up to 1024² on Sapphire Rapids, and a transposed one (MR neighbours a row apart along k) from five
        // panels on. On Zen 4, 1024² through the 512-bit kernel on one core went from 92 to 101 GFLOP/s in float and
        // from 44–46 to 51–52 in double once packed (k = 1008 read in place: 99.7 and 48). A packed block is read at
        // constant offsets (PackedA).
        var inPlace = transposeA ? n <= 4 * NR : !RowsShareASet(k);
        Span<T> packedA = PackBuffer.ForA.Get(inPlace ? MR * kc : ((mc + MR - 1) / MR) * MR * kc);
        if (!inPlace) PackA(a, transposeA, packedA, i0, mc, p0, kc, m, k);
        // The buffer each tile goes through to C, here rather than in the micro-kernels: made there, it is a call
        // (zeroing it) across which every vector register is lost, and the code generator then kept the accumulators
        // on the stack on every pass of the loop where it had no profile data (four times slower under TieredPGO=0).
        // The micro-kernels make no call before their last store. (NativeAOT's compiler still keeps them on the stack,
        // for a reason not found yet: docs/performance.md.)
        Span<T> buffer = stackalloc T[MR * NR];
        ref var tile = ref MemoryMarshal.GetReference(buffer);
        var prefetch = (long)m * n * Unsafe.SizeOf<T>() > PrefetchedC;
        for (var j0 = 0; j0 < n; j0 += NR)
        {
            // A panel of B: packed, NR columns a row; in place, a row of B apart.
            var (first, bStep) = bInPlace ? ((nint)j0, (nint)n) : ((nint)j0 * kc, NR);
            ref var panelB = ref Unsafe.Add(ref MemoryMarshal.GetReference(b), first);
            var columns = Math.Min(NR, n - j0);
            for (var i = 0; i < mc; i += MR)
            {
                var rows = Math.Min(MR, mc - i);
                if (prefetch && rows == MR && columns == NR) PrefetchTile(c, i0 + i, j0, n);
                if (inPlace && rows == MR)
                {
                    if (transposeA) Tile<TransposedInPlaceA>(ref a[p0 * m + i0 + i], m, 1, ref panelB, bStep, kc, ref tile, c, i0 + i, j0, rows, columns, n, overwrite);
                    else Tile<InPlaceA>(ref a[(i0 + i) * k + p0], 1, k, ref panelB, bStep, kc, ref tile, c, i0 + i, j0, rows, columns, n, overwrite);
                    continue;
                }
                // A last, partial tile read in place is packed alone, padded with zeros.
                if (inPlace) PackA(a, transposeA, packedA, i0 + i, rows, p0, kc, m, k);
                Tile<PackedA>(ref packedA[inPlace ? 0 : (i / MR) * MR * kc], MR, 1, ref panelB, bStep, kc, ref tile, c, i0 + i, j0, rows, columns, n, overwrite);
            }
        }
    }

    /// <summary>
    /// Whether MR rows of a row-major A, <paramref name="k"/> elements apart, fall into one set of L1 and evict each
    /// other: L1 has 64 sets of 64-byte lines (every x86 core since Sandy Bridge; 8 ways on Zen 4, 12 on Sapphire
    /// Rapids), so rows a multiple of 4 KB apart share one, and the 512-bit kernel's twelve outnumber Zen 4's ways.
    /// </summary>
    private static bool RowsShareASet(int k) => MR > 8 && (long)k * Unsafe.SizeOf<T>() % 4096 == 0;

    /// <summary>One micro-tile, by the kernel for the machine's vectors, the panel's width and where A lies.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile<TLayout>(ref T a, int step, nint rowStride, ref T b, nint bStep, int kc, ref T tile, T[] c, int i0, int j0, int rows, int columns, int n, bool overwrite)
        where TLayout : struct, IALayout
    {
        // A panel with at most half its columns in C (ten outputs against 32 float lanes) runs on one vector.
        // A last tile of at most six rows (64 = 5·12 + 4) computes six on 512-bit registers, not twelve.
        if (Wide && rows <= MR / 2) WideTile<TLayout, HalfTile>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
        else if (Wide) WideTile<TLayout, WholeTile>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
        else if (Narrow && columns > NR / 2) NarrowMicroKernel<BothVectors, TLayout>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
        else if (Narrow) NarrowMicroKernel<FirstVector, TLayout>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
        else if (columns > NR / 2) MicroKernel<BothVectors, TLayout>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
        else MicroKernel<FirstVector, TLayout>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WideTile<TLayout, THeight>(ref T a, int step, nint rowStride, ref T b, nint bStep, int kc, ref T tile, T[] c, int i0, int j0, int rows, int columns, int n, bool overwrite)
        where TLayout : struct, IALayout where THeight : struct, ITileHeight
    {
        if (columns > NR / 2) WideMicroKernel<BothVectors, TLayout, THeight>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
        else WideMicroKernel<FirstVector, TLayout, THeight>(ref a, step, rowStride, ref b, bStep, kc, ref tile, c, i0, j0, rows, columns, n, overwrite);
    }

    /// <summary>
    /// op(A)[i0 + r, p0 + p] → packed[(r / MR)·MR·kc + p·MR + r % MR], rows past m as zeros. A transposed A is read one
    /// stored row at a time (a column of op(A), dealt out MR to each panel), A itself MR rows side by side; the packed
    /// block is written in order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(T[] a, bool transposeA, Span<T> packed, int i0, int mc, int p0, int kc, int m, int k)
    {
        var panels = (mc + MR - 1) / MR;
        if (mc % MR != 0) packed.Slice((panels - 1) * MR * kc, MR * kc).Clear();
        ref var destination = ref MemoryMarshal.GetReference(packed);
        if (transposeA)
        {
            // A whole panel's MR elements are copied as whole vectors, but for the last column: what they write past the
            // MR lands on the panel's next column, written next, and what they read past lies inside A.
            var whole = Math.Min(panels, mc / MR);
            for (var p = 0; p < kc; p++)
            {
                var start = (p0 + p) * m + i0;
                ref var source = ref a[start];
                var fast = p < kc - 1 && (long)start + (whole - 1) * MR + WholeVectorsOfMR <= a.Length ? whole : 0;
                for (var panel = 0; panel < fast; panel++)
                {
                    CopyWholeVectors(ref Unsafe.Add(ref source, panel * MR), ref Unsafe.Add(ref destination, panel * MR * kc + p * MR));
                }
                for (var panel = fast; panel < panels; panel++)
                {
                    Copy(ref Unsafe.Add(ref source, panel * MR), ref Unsafe.Add(ref destination, panel * MR * kc + p * MR), Math.Min(MR, mc - panel * MR));
                }
            }
            return;
        }
        for (var panel = 0; panel < panels; panel++)
        {
            var height = Math.Min(MR, mc - panel * MR);
            ref var first = ref a[(i0 + panel * MR) * k + p0];
            ref var target = ref Unsafe.Add(ref destination, panel * MR * kc);
            for (var p = 0; p < kc; p++)
            {
                for (var r = 0; r < height; r++) Unsafe.Add(ref target, r) = Unsafe.Add(ref first, r * k + p);
                target = ref Unsafe.Add(ref target, MR);
            }
        }
    }

    /// <summary>
    /// op(B)[p0 + p, j] → packed[(j / NR)·NR·kc + p·NR + j % NR], columns past n as zeros. B is read one stored row at a
    /// time, a row of op(B) dealt out NR to each panel; a transposed B in squares of stored rows × k transposed in
    /// registers where the processor has AVX (8×8 floats, 4×4 doubles), what is left one element at a time.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(T[] b, bool transposeB, Span<T> packed, int p0, int kc, int n, int k)
    {
        var panels = (n + NR - 1) / NR;
        ref var destination = ref MemoryMarshal.GetReference(packed);
        if (n % NR != 0) packed.Slice((panels - 1) * NR * kc, NR * kc).Clear();
        if (transposeB)
        {
            var square = Avx.IsSupported && (typeof(T) == typeof(float) || typeof(T) == typeof(double)) ? Vector256<T>.Count : 0;
            var (rows, steps) = square == 0 ? (0, 0) : (n / square * square, kc / square * square);
            for (var j = 0; j < rows; j += square)
            {
                ref var source = ref b[j * k + p0];
                ref var target = ref Unsafe.Add(ref destination, (j / NR) * NR * kc + j % NR);
                for (var p = 0; p < steps; p += square) TransposeSquare(ref Unsafe.Add(ref source, p), k, ref Unsafe.Add(ref target, p * NR), NR);
            }
            for (var j = 0; j < n; j++)
            {
                ref var source = ref b[j * k + p0];
                ref var target = ref Unsafe.Add(ref destination, (j / NR) * NR * kc + j % NR);
                for (var p = j < rows ? steps : 0; p < kc; p++) Unsafe.Add(ref target, p * NR) = Unsafe.Add(ref source, p);
            }
            return;
        }
        for (var p = 0; p < kc; p++)
        {
            ref var source = ref b[(p0 + p) * n];
            for (var panel = 0; panel < panels; panel++)
            {
                Copy(ref Unsafe.Add(ref source, panel * NR), ref Unsafe.Add(ref destination, panel * NR * kc + p * NR), Math.Min(NR, n - panel * NR));
            }
        }
    }

    /// <summary>
    /// The square of <see cref="Vector256{T}.Count"/> rows (a row stride <paramref name="sourceStride"/> apart) from
    /// <paramref name="source"/> written transposed from <paramref name="target"/> (rows <paramref name="targetStride"/>
    /// apart): the standard unpack, shuffle and lane-permute sequence, for float and double on AVX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TransposeSquare(ref T source, int sourceStride, ref T target, int targetStride)
    {
        if (typeof(T) == typeof(double))
        {
            ref var s = ref Unsafe.As<T, double>(ref source);
            ref var t = ref Unsafe.As<T, double>(ref target);
            var (r0, r1) = (Vector256.LoadUnsafe(ref s), Vector256.LoadUnsafe(ref s, (nuint)sourceStride));
            var (r2, r3) = (Vector256.LoadUnsafe(ref s, (nuint)(2 * sourceStride)), Vector256.LoadUnsafe(ref s, (nuint)(3 * sourceStride)));
            var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
            Avx.Permute2x128(t0, t2, 0x20).StoreUnsafe(ref t);
            Avx.Permute2x128(t1, t3, 0x20).StoreUnsafe(ref t, (nuint)targetStride);
            Avx.Permute2x128(t0, t2, 0x31).StoreUnsafe(ref t, (nuint)(2 * targetStride));
            Avx.Permute2x128(t1, t3, 0x31).StoreUnsafe(ref t, (nuint)(3 * targetStride));
        }
        else
        {
            ref var s = ref Unsafe.As<T, float>(ref source);
            ref var t = ref Unsafe.As<T, float>(ref target);
            var stride = (nuint)sourceStride;
            var (r0, r1, r2, r3) = (Vector256.LoadUnsafe(ref s), Vector256.LoadUnsafe(ref s, stride), Vector256.LoadUnsafe(ref s, 2 * stride), Vector256.LoadUnsafe(ref s, 3 * stride));
            var (r4, r5, r6, r7) = (Vector256.LoadUnsafe(ref s, 4 * stride), Vector256.LoadUnsafe(ref s, 5 * stride), Vector256.LoadUnsafe(ref s, 6 * stride), Vector256.LoadUnsafe(ref s, 7 * stride));
            var (t0, t1, t2, t3) = (Avx.UnpackLow(r0, r1), Avx.UnpackHigh(r0, r1), Avx.UnpackLow(r2, r3), Avx.UnpackHigh(r2, r3));
            var (t4, t5, t6, t7) = (Avx.UnpackLow(r4, r5), Avx.UnpackHigh(r4, r5), Avx.UnpackLow(r6, r7), Avx.UnpackHigh(r6, r7));
            var (u0, u1, u2, u3) = (Avx.Shuffle(t0, t2, 0x44), Avx.Shuffle(t0, t2, 0xEE), Avx.Shuffle(t1, t3, 0x44), Avx.Shuffle(t1, t3, 0xEE));
            var (u4, u5, u6, u7) = (Avx.Shuffle(t4, t6, 0x44), Avx.Shuffle(t4, t6, 0xEE), Avx.Shuffle(t5, t7, 0x44), Avx.Shuffle(t5, t7, 0xEE));
            var to = (nuint)targetStride;
            Avx.Permute2x128(u0, u4, 0x20).StoreUnsafe(ref t);
            Avx.Permute2x128(u1, u5, 0x20).StoreUnsafe(ref t, to);
            Avx.Permute2x128(u2, u6, 0x20).StoreUnsafe(ref t, 2 * to);
            Avx.Permute2x128(u3, u7, 0x20).StoreUnsafe(ref t, 3 * to);
            Avx.Permute2x128(u0, u4, 0x31).StoreUnsafe(ref t, 4 * to);
            Avx.Permute2x128(u1, u5, 0x31).StoreUnsafe(ref t, 5 * to);
            Avx.Permute2x128(u2, u6, 0x31).StoreUnsafe(ref t, 6 * to);
            Avx.Permute2x128(u3, u7, 0x31).StoreUnsafe(ref t, 7 * to);
        }
    }

    /// <summary>The elements <see cref="CopyWholeVectors"/> reads and writes: MR rounded up to whole vectors.</summary>
    private static readonly int WholeVectorsOfMR = RoundUp(MR, Vector256.IsHardwareAccelerated ? Vector256<T>.Count : Vector128<T>.Count);

    /// <summary>Copies MR elements as whole vectors (<see cref="WholeVectorsOfMR"/> of them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyWholeVectors(ref T source, ref T target)
    {
        if (Vector256.IsHardwareAccelerated)
        {
            for (var i = 0; i < MR; i += Vector256<T>.Count) Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref target, (nuint)i);
        }
        else
        {
            for (var i = 0; i < MR; i += Vector128<T>.Count) Vector128.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref target, (nuint)i);
        }
    }

    /// <summary>Copies count elements, the widest vector at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref T source, ref T target, int count)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= count - Vector256<T>.Count; i += Vector256<T>.Count) Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref target, (nuint)i);
        }
        for (; i <= count - Vector128<T>.Count; i += Vector128<T>.Count) Vector128.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref target, (nuint)i);
        for (; i < count; i++) Unsafe.Add(ref target, i) = Unsafe.Add(ref source, i);
    }

    /// <summary>C[i0…i0+rows, j0…j0+columns] += (with <paramref name="overwrite"/>, =) the MR×NR product of a panel of A and one of B.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MicroKernel<TWidth, TLayout>(ref T a, int step, nint rowStride, ref T b, nint bStep, int kc, ref T t, T[] c, int i0, int j0, int rows, int columns, int n, bool overwrite)
        where TWidth : struct, IPanelWidth where TLayout : struct, IALayout
    {
        var w = (nuint)Vector256<T>.Count;
        Vector256<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        // A packed block's MR rows lie side by side, as a transposed A's in place (constant offsets, no index registers);
        // A in place, a row stride apart.
        nint spacing = TLayout.Adjacent ? 1 : rowStride;
        nint o1 = 1 * spacing, o2 = 2 * spacing, o3 = 3 * spacing, o4 = 4 * spacing, o5 = 5 * spacing;
        var p = 0;
        if (!TWidth.Both)
        {
            // One vector of B a step: six chains of multiply-adds would wait on their latency (four cycles a step, two
            // thirds of a whole panel's time for a quarter of its columns), so even and odd steps of k go to the two
            // sets of accumulators, added at the end.
            nint next = TLayout.Packed ? 6 : step;
            for (; p + 1 < kc; p += 2)
            {
                var b0 = Vector256.LoadUnsafe(ref b);
                var b1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref b, bStep));
                ref var second = ref Unsafe.Add(ref a, next);
                c00 = MultiplyAdd(Vector256.Create(a), b0, c00);
                c01 = MultiplyAdd(Vector256.Create(second), b1, c01);
                c10 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a, o1)), b0, c10);
                c11 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref second, o1)), b1, c11);
                c20 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a, o2)), b0, c20);
                c21 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref second, o2)), b1, c21);
                c30 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a, o3)), b0, c30);
                c31 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref second, o3)), b1, c31);
                c40 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a, o4)), b0, c40);
                c41 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref second, o4)), b1, c41);
                c50 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref a, o5)), b0, c50);
                c51 = MultiplyAdd(Vector256.Create(Unsafe.Add(ref second, o5)), b1, c51);
                a = ref Unsafe.Add(ref a, 2 * next);
                b = ref Unsafe.Add(ref b, 2 * bStep);
            }
        }
        for (; p < kc; p++)
        {
            var b0 = Vector256.LoadUnsafe(ref b);
            var b1 = TWidth.Both ? Vector256.LoadUnsafe(ref b, w) : default;
            var a0 = Vector256.Create(a);
            c00 = MultiplyAdd(a0, b0, c00);
            if (TWidth.Both) c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector256.Create(Unsafe.Add(ref a, o1));
            c10 = MultiplyAdd(a1, b0, c10);
            if (TWidth.Both) c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector256.Create(Unsafe.Add(ref a, o2));
            c20 = MultiplyAdd(a2, b0, c20);
            if (TWidth.Both) c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector256.Create(Unsafe.Add(ref a, o3));
            c30 = MultiplyAdd(a3, b0, c30);
            if (TWidth.Both) c31 = MultiplyAdd(a3, b1, c31);
            var a4 = Vector256.Create(Unsafe.Add(ref a, o4));
            c40 = MultiplyAdd(a4, b0, c40);
            if (TWidth.Both) c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector256.Create(Unsafe.Add(ref a, o5));
            c50 = MultiplyAdd(a5, b0, c50);
            if (TWidth.Both) c51 = MultiplyAdd(a5, b1, c51);
            a = ref Unsafe.Add(ref a, TLayout.Packed ? 6 : step);
            b = ref Unsafe.Add(ref b, bStep);
        }

        if (!TWidth.Both) (c00, c10, c20, c30, c40, c50) = (c00 + c01, c10 + c11, c20 + c21, c30 + c31, c40 + c41, c50 + c51);

        // A whole tile straight to C; a partial one through the caller's buffer.
        if (TWidth.Both && rows == MR && columns == NR)
        {
            ref var row = ref Corner(c, i0, j0, n);
            var next = (nint)n;
            Put(c00, c01, ref row, overwrite); Put(c10, c11, ref Unsafe.Add(ref row, next), overwrite);
            Put(c20, c21, ref Unsafe.Add(ref row, 2 * next), overwrite); Put(c30, c31, ref Unsafe.Add(ref row, 3 * next), overwrite);
            Put(c40, c41, ref Unsafe.Add(ref row, 4 * next), overwrite); Put(c50, c51, ref Unsafe.Add(ref row, 5 * next), overwrite);
            return;
        }
        var stride = (nuint)NR;
        c00.StoreUnsafe(ref t); c01.StoreUnsafe(ref t, w);
        c10.StoreUnsafe(ref t, stride); c11.StoreUnsafe(ref t, stride + w);
        c20.StoreUnsafe(ref t, 2 * stride); c21.StoreUnsafe(ref t, 2 * stride + w);
        c30.StoreUnsafe(ref t, 3 * stride); c31.StoreUnsafe(ref t, 3 * stride + w);
        c40.StoreUnsafe(ref t, 4 * stride); c41.StoreUnsafe(ref t, 4 * stride + w);
        c50.StoreUnsafe(ref t, 5 * stride); c51.StoreUnsafe(ref t, 5 * stride + w);
        AddTile(ref t, c, i0, j0, rows, columns, n, overwrite);
    }

    /// <summary>
    /// <see cref="MicroKernel"/> on 128-bit registers, for processors without AVX2 (older x86, ARM64): the same 6-row
    /// tile, half as wide, in twelve of sixteen registers. A copy for the reason the 512-bit one is.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void NarrowMicroKernel<TWidth, TLayout>(ref T a, int step, nint rowStride, ref T b, nint bStep, int kc, ref T t, T[] c, int i0, int j0, int rows, int columns, int n, bool overwrite)
        where TWidth : struct, IPanelWidth where TLayout : struct, IALayout
    {
        var w = (nuint)Vector128<T>.Count;
        Vector128<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector128<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        // A packed block's MR rows lie side by side, as a transposed A's in place (constant offsets, no index registers);
        // A in place, a row stride apart.
        nint spacing = TLayout.Adjacent ? 1 : rowStride;
        nint o1 = 1 * spacing, o2 = 2 * spacing, o3 = 3 * spacing, o4 = 4 * spacing, o5 = 5 * spacing;
        var p = 0;
        if (!TWidth.Both)
        {
            // One vector of B a step: six chains of multiply-adds would wait on their latency (four cycles a step, two
            // thirds of a whole panel's time for a quarter of its columns), so even and odd steps of k go to the two
            // sets of accumulators, added at the end.
            nint next = TLayout.Packed ? 6 : step;
            for (; p + 1 < kc; p += 2)
            {
                var b0 = Vector128.LoadUnsafe(ref b);
                var b1 = Vector128.LoadUnsafe(ref Unsafe.Add(ref b, bStep));
                ref var second = ref Unsafe.Add(ref a, next);
                c00 = MultiplyAdd(Vector128.Create(a), b0, c00);
                c01 = MultiplyAdd(Vector128.Create(second), b1, c01);
                c10 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref a, o1)), b0, c10);
                c11 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref second, o1)), b1, c11);
                c20 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref a, o2)), b0, c20);
                c21 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref second, o2)), b1, c21);
                c30 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref a, o3)), b0, c30);
                c31 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref second, o3)), b1, c31);
                c40 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref a, o4)), b0, c40);
                c41 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref second, o4)), b1, c41);
                c50 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref a, o5)), b0, c50);
                c51 = MultiplyAdd(Vector128.Create(Unsafe.Add(ref second, o5)), b1, c51);
                a = ref Unsafe.Add(ref a, 2 * next);
                b = ref Unsafe.Add(ref b, 2 * bStep);
            }
        }
        for (; p < kc; p++)
        {
            var b0 = Vector128.LoadUnsafe(ref b);
            var b1 = TWidth.Both ? Vector128.LoadUnsafe(ref b, w) : default;
            var a0 = Vector128.Create(a);
            c00 = MultiplyAdd(a0, b0, c00);
            if (TWidth.Both) c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector128.Create(Unsafe.Add(ref a, o1));
            c10 = MultiplyAdd(a1, b0, c10);
            if (TWidth.Both) c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector128.Create(Unsafe.Add(ref a, o2));
            c20 = MultiplyAdd(a2, b0, c20);
            if (TWidth.Both) c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector128.Create(Unsafe.Add(ref a, o3));
            c30 = MultiplyAdd(a3, b0, c30);
            if (TWidth.Both) c31 = MultiplyAdd(a3, b1, c31);
            var a4 = Vector128.Create(Unsafe.Add(ref a, o4));
            c40 = MultiplyAdd(a4, b0, c40);
            if (TWidth.Both) c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector128.Create(Unsafe.Add(ref a, o5));
            c50 = MultiplyAdd(a5, b0, c50);
            if (TWidth.Both) c51 = MultiplyAdd(a5, b1, c51);
            a = ref Unsafe.Add(ref a, TLayout.Packed ? 6 : step);
            b = ref Unsafe.Add(ref b, bStep);
        }

        if (!TWidth.Both) (c00, c10, c20, c30, c40, c50) = (c00 + c01, c10 + c11, c20 + c21, c30 + c31, c40 + c41, c50 + c51);

        // A whole tile straight to C; a partial one through the caller's buffer.
        if (TWidth.Both && rows == MR && columns == NR)
        {
            ref var row = ref Corner(c, i0, j0, n);
            var next = (nint)n;
            Put(c00, c01, ref row, overwrite); Put(c10, c11, ref Unsafe.Add(ref row, next), overwrite);
            Put(c20, c21, ref Unsafe.Add(ref row, 2 * next), overwrite); Put(c30, c31, ref Unsafe.Add(ref row, 3 * next), overwrite);
            Put(c40, c41, ref Unsafe.Add(ref row, 4 * next), overwrite); Put(c50, c51, ref Unsafe.Add(ref row, 5 * next), overwrite);
            return;
        }
        var stride = (nuint)NR;
        c00.StoreUnsafe(ref t); c01.StoreUnsafe(ref t, w);
        c10.StoreUnsafe(ref t, stride); c11.StoreUnsafe(ref t, stride + w);
        c20.StoreUnsafe(ref t, 2 * stride); c21.StoreUnsafe(ref t, 2 * stride + w);
        c30.StoreUnsafe(ref t, 3 * stride); c31.StoreUnsafe(ref t, 3 * stride + w);
        c40.StoreUnsafe(ref t, 4 * stride); c41.StoreUnsafe(ref t, 4 * stride + w);
        c50.StoreUnsafe(ref t, 5 * stride); c51.StoreUnsafe(ref t, 5 * stride + w);
        AddTile(ref t, c, i0, j0, rows, columns, n, overwrite);
    }

    /// <summary>
    /// <see cref="MicroKernel"/> on 512-bit registers: a tile twice as tall (MR = 12) and twice as wide in twenty-four of
    /// them, with room for the two rows of B and a broadcast. A copy of it over <c>Vector512</c> rather than one kernel
    /// generic over the width: .NET 8, which the runtime targets, has no public interface over the vector types.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WideMicroKernel<TWidth, TLayout, THeight>(ref T a, int step, nint rowStride, ref T b, nint bStep, int kc, ref T t, T[] c, int i0, int j0, int rows, int columns, int n, bool overwrite)
        where TWidth : struct, IPanelWidth where TLayout : struct, IALayout where THeight : struct, ITileHeight
    {
        var w = (nuint)Vector512<T>.Count;
        Vector512<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<T> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<T> c90 = default, c91 = default, c100 = default, c101 = default, c110 = default, c111 = default;
        // A packed block's MR rows lie side by side, as a transposed A's in place (constant offsets, no index registers);
        // A in place, a row stride apart.
        nint spacing = TLayout.Adjacent ? 1 : rowStride;
        nint o1 = 1 * spacing, o2 = 2 * spacing, o3 = 3 * spacing, o4 = 4 * spacing, o5 = 5 * spacing, o6 = 6 * spacing, o7 = 7 * spacing, o8 = 8 * spacing, o9 = 9 * spacing, o10 = 10 * spacing, o11 = 11 * spacing;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.LoadUnsafe(ref b);
            var b1 = TWidth.Both ? Vector512.LoadUnsafe(ref b, w) : default;
            var a0 = Vector512.Create(Unsafe.Add(ref a, 0));
            c00 = MultiplyAdd(a0, b0, c00);
            if (TWidth.Both) c01 = MultiplyAdd(a0, b1, c01);
            var a1 = Vector512.Create(Unsafe.Add(ref a, o1));
            c10 = MultiplyAdd(a1, b0, c10);
            if (TWidth.Both) c11 = MultiplyAdd(a1, b1, c11);
            var a2 = Vector512.Create(Unsafe.Add(ref a, o2));
            c20 = MultiplyAdd(a2, b0, c20);
            if (TWidth.Both) c21 = MultiplyAdd(a2, b1, c21);
            var a3 = Vector512.Create(Unsafe.Add(ref a, o3));
            c30 = MultiplyAdd(a3, b0, c30);
            if (TWidth.Both) c31 = MultiplyAdd(a3, b1, c31);
            var a4 = Vector512.Create(Unsafe.Add(ref a, o4));
            c40 = MultiplyAdd(a4, b0, c40);
            if (TWidth.Both) c41 = MultiplyAdd(a4, b1, c41);
            var a5 = Vector512.Create(Unsafe.Add(ref a, o5));
            c50 = MultiplyAdd(a5, b0, c50);
            if (TWidth.Both) c51 = MultiplyAdd(a5, b1, c51);
            if (!THeight.Half)
            {
                var a6 = Vector512.Create(Unsafe.Add(ref a, o6));
                c60 = MultiplyAdd(a6, b0, c60);
                if (TWidth.Both) c61 = MultiplyAdd(a6, b1, c61);
                var a7 = Vector512.Create(Unsafe.Add(ref a, o7));
                c70 = MultiplyAdd(a7, b0, c70);
                if (TWidth.Both) c71 = MultiplyAdd(a7, b1, c71);
                var a8 = Vector512.Create(Unsafe.Add(ref a, o8));
                c80 = MultiplyAdd(a8, b0, c80);
                if (TWidth.Both) c81 = MultiplyAdd(a8, b1, c81);
                var a9 = Vector512.Create(Unsafe.Add(ref a, o9));
                c90 = MultiplyAdd(a9, b0, c90);
                if (TWidth.Both) c91 = MultiplyAdd(a9, b1, c91);
                var a10 = Vector512.Create(Unsafe.Add(ref a, o10));
                c100 = MultiplyAdd(a10, b0, c100);
                if (TWidth.Both) c101 = MultiplyAdd(a10, b1, c101);
                var a11 = Vector512.Create(Unsafe.Add(ref a, o11));
                c110 = MultiplyAdd(a11, b0, c110);
                if (TWidth.Both) c111 = MultiplyAdd(a11, b1, c111);
            }
            a = ref Unsafe.Add(ref a, TLayout.Packed ? 12 : step);
            b = ref Unsafe.Add(ref b, bStep);
        }

        // A whole tile straight to C; a partial one through the caller's buffer.
        if (TWidth.Both && !THeight.Half && rows == MR && columns == NR)
        {
            ref var row = ref Corner(c, i0, j0, n);
            var next = (nint)n;
            Put(c00, c01, ref row, overwrite); Put(c10, c11, ref Unsafe.Add(ref row, next), overwrite);
            Put(c20, c21, ref Unsafe.Add(ref row, 2 * next), overwrite); Put(c30, c31, ref Unsafe.Add(ref row, 3 * next), overwrite);
            Put(c40, c41, ref Unsafe.Add(ref row, 4 * next), overwrite); Put(c50, c51, ref Unsafe.Add(ref row, 5 * next), overwrite);
            Put(c60, c61, ref Unsafe.Add(ref row, 6 * next), overwrite); Put(c70, c71, ref Unsafe.Add(ref row, 7 * next), overwrite);
            Put(c80, c81, ref Unsafe.Add(ref row, 8 * next), overwrite); Put(c90, c91, ref Unsafe.Add(ref row, 9 * next), overwrite);
            Put(c100, c101, ref Unsafe.Add(ref row, 10 * next), overwrite); Put(c110, c111, ref Unsafe.Add(ref row, 11 * next), overwrite);
            return;
        }
        var stride = (nuint)NR;
        c00.StoreUnsafe(ref t); c01.StoreUnsafe(ref t, w);
        c10.StoreUnsafe(ref t, 1 * stride); c11.StoreUnsafe(ref t, 1 * stride + w);
        c20.StoreUnsafe(ref t, 2 * stride); c21.StoreUnsafe(ref t, 2 * stride + w);
        c30.StoreUnsafe(ref t, 3 * stride); c31.StoreUnsafe(ref t, 3 * stride + w);
        c40.StoreUnsafe(ref t, 4 * stride); c41.StoreUnsafe(ref t, 4 * stride + w);
        c50.StoreUnsafe(ref t, 5 * stride); c51.StoreUnsafe(ref t, 5 * stride + w);
        if (THeight.Half)
        {
            AddTile(ref t, c, i0, j0, rows, columns, n, overwrite);
            return;
        }
        c60.StoreUnsafe(ref t, 6 * stride); c61.StoreUnsafe(ref t, 6 * stride + w);
        c70.StoreUnsafe(ref t, 7 * stride); c71.StoreUnsafe(ref t, 7 * stride + w);
        c80.StoreUnsafe(ref t, 8 * stride); c81.StoreUnsafe(ref t, 8 * stride + w);
        c90.StoreUnsafe(ref t, 9 * stride); c91.StoreUnsafe(ref t, 9 * stride + w);
        c100.StoreUnsafe(ref t, 10 * stride); c101.StoreUnsafe(ref t, 10 * stride + w);
        c110.StoreUnsafe(ref t, 11 * stride); c111.StoreUnsafe(ref t, 11 * stride + w);
        AddTile(ref t, c, i0, j0, rows, columns, n, overwrite);
    }

    /// <summary>How many of a panel's two vectors of columns a micro-kernel computes: a type argument, so that each width is compiled apart and the other's code is gone.</summary>
    private interface IPanelWidth
    {
        static abstract bool Both { get; }
    }

    private struct BothVectors : IPanelWidth
    {
        public static bool Both => true;
    }

    private struct FirstVector : IPanelWidth
    {
        public static bool Both => false;
    }

    /// <summary>Whether a 512-bit micro-kernel computes the first six of its twelve rows only: a type argument, as the width.</summary>
    private interface ITileHeight
    {
        static abstract bool Half { get; }
    }

    private struct WholeTile : ITileHeight
    {
        public static bool Half => false;
    }

    private struct HalfTile : ITileHeight
    {
        public static bool Half => true;
    }

    /// <summary>
    /// Where a micro-kernel reads A: packed (MR rows side by side, MR apart along k), a transposed A in place (rows side
    /// by side, a stored row apart along k) or A in place (rows a stride apart); a type argument, as <see cref="IPanelWidth"/>.
    /// </summary>
    private interface IALayout
    {
        /// <summary>Whether A's tile is packed: its next column MR elements on.</summary>
        static abstract bool Packed { get; }

        /// <summary>Whether the tile's rows lie side by side (packed, or a transposed A in place): at constant offsets.</summary>
        static abstract bool Adjacent { get; }
    }

    private struct PackedA : IALayout
    {
        public static bool Packed => true;

        public static bool Adjacent => true;
    }

    private struct InPlaceA : IALayout
    {
        public static bool Packed => false;

        public static bool Adjacent => false;
    }

    private struct TransposedInPlaceA : IALayout
    {
        public static bool Packed => false;

        public static bool Adjacent => true;
    }

    /// <summary>C[i0, j0]: the corner of a whole tile, which lies inside C (no bounds check).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T Corner(T[] c, int i0, int j0, int n)
    {
        Debug.Assert((long)(i0 + MR - 1) * n + j0 + NR <= c.Length);
        return ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(c), (nint)i0 * n + j0);
    }

    /// <summary>
    /// Asks for a whole tile of C (each row's first and last element: a row of NR may straddle two cache lines) to be
    /// brought into L1 while the micro-kernel runs, so that adding the tile to C at its end does not wait on memory.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchTile(T[] c, int i0, int j0, int n)
    {
        if (!Sse.IsSupported) return; // ARM64: its hardware prefetcher alone, for want of a machine to measure on
        ref var row = ref Corner(c, i0, j0, n);
        for (var r = 0; r < MR; r++)
        {
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref row, (nint)r * n)));
            Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref row, (nint)r * n + NR - 1)));
        }
    }

    /// <summary>A row of a whole tile, two vectors, added to C's (stored there with <paramref name="overwrite"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector512<T> first, Vector512<T> second, ref T row, bool overwrite)
    {
        var w = (nuint)Vector512<T>.Count;
        if (!overwrite) (first, second) = (first + Vector512.LoadUnsafe(ref row), second + Vector512.LoadUnsafe(ref row, w));
        first.StoreUnsafe(ref row);
        second.StoreUnsafe(ref row, w);
    }

    /// <inheritdoc cref="Put(Vector512{T}, Vector512{T}, ref T, bool)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector256<T> first, Vector256<T> second, ref T row, bool overwrite)
    {
        var w = (nuint)Vector256<T>.Count;
        if (!overwrite) (first, second) = (first + Vector256.LoadUnsafe(ref row), second + Vector256.LoadUnsafe(ref row, w));
        first.StoreUnsafe(ref row);
        second.StoreUnsafe(ref row, w);
    }

    /// <inheritdoc cref="Put(Vector512{T}, Vector512{T}, ref T, bool)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector128<T> first, Vector128<T> second, ref T row, bool overwrite)
    {
        var w = (nuint)Vector128<T>.Count;
        if (!overwrite) (first, second) = (first + Vector128.LoadUnsafe(ref row), second + Vector128.LoadUnsafe(ref row, w));
        first.StoreUnsafe(ref row);
        second.StoreUnsafe(ref row, w);
    }

    /// <summary>Adds the rows and columns of a tile (MR×NR, row stride NR) that lie inside C to C, or with <paramref name="overwrite"/> stores them there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTile(ref T source, T[] c, int i0, int j0, int rows, int columns, int n, bool overwrite)
    {
        ref var corner = ref MemoryMarshal.GetReference(c.AsSpan(i0 * n + j0, (rows - 1) * n + columns));
        for (var r = 0; r < rows; r++)
        {
            ref var row = ref Unsafe.Add(ref corner, r * n);
            ref var sums = ref Unsafe.Add(ref source, r * NR);
            if (overwrite)
            {
                Copy(ref sums, ref row, columns);
                continue;
            }
            var j = 0;
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= columns - Vector256<T>.Count; j += Vector256<T>.Count)
                {
                    (Vector256.LoadUnsafe(ref row, (nuint)j) + Vector256.LoadUnsafe(ref sums, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
                }
            }
            for (; j <= columns - Vector128<T>.Count; j += Vector128<T>.Count)
            {
                (Vector128.LoadUnsafe(ref row, (nuint)j) + Vector128.LoadUnsafe(ref sums, (nuint)j)).StoreUnsafe(ref row, (nuint)j);
            }
            for (; j < columns; j++) Unsafe.Add(ref row, j) += Unsafe.Add(ref sums, j);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(double)) return Avx512F.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
        if (typeof(T) == typeof(float)) return Avx512F.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        return a * b + c;
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

    /// <summary>a·b + c, fused where the processor has FMA (an x86 one without AVX2 rarely does; elsewhere two roundings).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c)
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
