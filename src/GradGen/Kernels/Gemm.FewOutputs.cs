using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradGen.Kernels;

internal static partial class Gemm<T>
{
    /// <summary>Columns of C a tile of <see cref="FewOutputsKernel"/> computes: ten classes in two tiles.</summary>
    private const int FewOutputsGroup = 5;

    /// <summary>The most outputs for which a product with a transposed A is computed along m (<see cref="FewOutputsKernel"/>).</summary>
    private const int FewOutputsMost = 16;

    /// <summary>
    /// Whether Aᵀ·op(B) (A stored k×m) is computed by <see cref="FewOutputsKernel"/>, vectors along the m rows of C,
    /// rather than by the micro-kernels, vectors along its n columns: when n is at most <see cref="FewOutputsMost"/>
    /// and the vectors' lanes hold more of C that way. Ten outputs fill ten of 16 lanes of a 512-bit float vector
    /// along n, every lane along m (a weight gradient hᵀ·dz of a ten-class layer, 128×256ᵀ·256×10 on one Zen 4 core:
    /// floats 44–51 → 75 GFLOP/s with AVX-512, doubles 29 → 41 with AVX2).
    /// </summary>
    private static bool ComputesAlongM(int m, int n)
    {
        if (n > FewOutputsMost || !Vector128.IsHardwareAccelerated) return false;
        var alongM = (double)m / TransposedStride(m) * n / TransposedRows(n);
        var alongN = (double)n / RoundUp(n, NR / 2);
        return alongM > alongN;
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>The rows of Cᵀ a buffer for <see cref="AlongM"/> holds: n rounded up to whole tiles.</summary>
    private static int TransposedRows(int n) => RoundUp(n, FewOutputsGroup);

    /// <summary>The row stride of Cᵀ in a buffer for <see cref="AlongM"/>: m rounded up to whole tiles, two vectors (NR) high.</summary>
    private static int TransposedStride(int m) => RoundUp(m, NR);

    /// <summary>
    /// Cᵀ = (the product over rows from…to−1 of op(B), columns of Aᵀ) into <paramref name="transposed"/>, whose rows are
    /// C's columns, <see cref="TransposedStride"/> apart: A (stored k×m) read where it lies, a row of it a step along k.
    /// </summary>
    private static void AlongM(T[] a, T[] b, bool transposeB, Span<T> transposed, int from, int to, int m, int n, int k)
    {
        var steps = to - from;
        var groups = TransposedRows(n) / FewOutputsGroup;
        var packedB = PackBuffer.ForB.Get(groups * steps * FewOutputsGroup).AsSpan();
        PackFewColumns(b, transposeB, packedB, from, steps, n, k);
        if (Wide) AlongM<Vector512<T>, Lanes512>(a, packedB, transposed, from, steps, m, groups);
        else if (Narrow) AlongM<Vector128<T>, Lanes128>(a, packedB, transposed, from, steps, m, groups);
        else AlongM<Vector256<T>, Lanes256>(a, packedB, transposed, from, steps, m, groups);
    }

    /// <summary>
    /// op(B)[from + p, g·5 + j] → packed[g·steps·5 + p·5 + j], columns past n as zeros: a tile's five columns of a step
    /// side by side.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackFewColumns(T[] b, bool transposeB, Span<T> packed, int from, int steps, int n, int k)
    {
        if (n % FewOutputsGroup != 0) packed.Slice(packed.Length - steps * FewOutputsGroup).Clear();
        for (var j = 0; j < n; j++)
        {
            ref var target = ref packed[(j / FewOutputsGroup) * steps * FewOutputsGroup + j % FewOutputsGroup];
            if (transposeB)
            {
                ref var source = ref b[j * k + from];
                for (var p = 0; p < steps; p++) Unsafe.Add(ref target, p * FewOutputsGroup) = Unsafe.Add(ref source, p);
            }
            else
            {
                ref var source = ref b[from * n + j];
                for (var p = 0; p < steps; p++) Unsafe.Add(ref target, p * FewOutputsGroup) = Unsafe.Add(ref source, p * n);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AlongM<TVector, TLanes>(T[] a, Span<T> packedB, Span<T> transposed, int from, int steps, int m, int groups)
        where TVector : struct where TLanes : struct, ILanes<TVector>
    {
        var height = 2 * TLanes.Count;
        var stride = TransposedStride(m);
        for (var i = 0; i < m; i += height)
        {
            // Whole tiles read A in place; the last, partial one from a copy padded with zeros, so that no load runs
            // past A's last row.
            ref var first = ref a[from * m + i];
            var step = m;
            if (i + height > m)
            {
                var tail = PackBuffer.ForA.Get(steps * height).AsSpan();
                tail.Clear();
                for (var p = 0; p < steps; p++) a.AsSpan((from + p) * m + i, m - i).CopyTo(tail.Slice(p * height));
                first = ref MemoryMarshal.GetReference(tail);
                step = height;
            }
            for (var g = 0; g < groups; g++)
            {
                FewOutputsKernel<TVector, TLanes>(ref first, step, ref packedB[g * steps * FewOutputsGroup], steps, ref transposed[g * FewOutputsGroup * stride + i], stride);
            }
        }
    }

    /// <summary>
    /// Five columns of C over two vectors of its rows, as five rows of Cᵀ: per step along k, two vectors of a row of A
    /// (a column of Aᵀ) and five broadcast elements of B, ten multiply-adds on ten accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void FewOutputsKernel<TVector, TLanes>(ref T a, nint step, ref T b, int steps, ref T transposed, nint stride)
        where TVector : struct where TLanes : struct, ILanes<TVector>
    {
        var w = (nint)TLanes.Count;
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default;
        for (var p = 0; p < steps; p++)
        {
            var a0 = TLanes.Load(ref a);
            var a1 = TLanes.Load(ref Unsafe.Add(ref a, w));
            var b0 = TLanes.Broadcast(b);
            c00 = TLanes.MultiplyAdd(a0, b0, c00);
            c01 = TLanes.MultiplyAdd(a1, b0, c01);
            var b1 = TLanes.Broadcast(Unsafe.Add(ref b, 1));
            c10 = TLanes.MultiplyAdd(a0, b1, c10);
            c11 = TLanes.MultiplyAdd(a1, b1, c11);
            var b2 = TLanes.Broadcast(Unsafe.Add(ref b, 2));
            c20 = TLanes.MultiplyAdd(a0, b2, c20);
            c21 = TLanes.MultiplyAdd(a1, b2, c21);
            var b3 = TLanes.Broadcast(Unsafe.Add(ref b, 3));
            c30 = TLanes.MultiplyAdd(a0, b3, c30);
            c31 = TLanes.MultiplyAdd(a1, b3, c31);
            var b4 = TLanes.Broadcast(Unsafe.Add(ref b, 4));
            c40 = TLanes.MultiplyAdd(a0, b4, c40);
            c41 = TLanes.MultiplyAdd(a1, b4, c41);
            a = ref Unsafe.Add(ref a, step);
            b = ref Unsafe.Add(ref b, FewOutputsGroup);
        }
        TLanes.Store(c00, ref transposed); TLanes.Store(c01, ref Unsafe.Add(ref transposed, w));
        TLanes.Store(c10, ref Unsafe.Add(ref transposed, stride)); TLanes.Store(c11, ref Unsafe.Add(ref transposed, stride + w));
        TLanes.Store(c20, ref Unsafe.Add(ref transposed, 2 * stride)); TLanes.Store(c21, ref Unsafe.Add(ref transposed, 2 * stride + w));
        TLanes.Store(c30, ref Unsafe.Add(ref transposed, 3 * stride)); TLanes.Store(c31, ref Unsafe.Add(ref transposed, 3 * stride + w));
        TLanes.Store(c40, ref Unsafe.Add(ref transposed, 4 * stride)); TLanes.Store(c41, ref Unsafe.Add(ref transposed, 4 * stride + w));
    }

    /// <summary>
    /// C (+)= the transpose of <paramref name="first"/> (+ that of <paramref name="second"/>, when given), buffers of
    /// <see cref="AlongM"/>: C's rows in order, each gathering its n elements from the buffers' rows.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddTransposed(ReadOnlySpan<T> first, ReadOnlySpan<T> second, T[] c, int m, int n, bool accumulate)
    {
        var stride = TransposedStride(m);
        for (var i = 0; i < m; i++)
        {
            ref var row = ref c[i * n];
            for (var j = 0; j < n; j++)
            {
                var sum = first[j * stride + i];
                if (!second.IsEmpty) sum += second[j * stride + i];
                Unsafe.Add(ref row, j) = accumulate ? Unsafe.Add(ref row, j) + sum : sum;
            }
        }
    }

    /// <summary>The operations <see cref="FewOutputsKernel"/> needs on one width of vector.</summary>
    private interface ILanes<TVector> where TVector : struct
    {
        static abstract int Count { get; }

        static abstract TVector Load(ref T source);

        static abstract TVector Broadcast(T value);

        static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

        static abstract void Store(TVector value, ref T target);
    }

    private struct Lanes512 : ILanes<Vector512<T>>
    {
        public static int Count => Vector512<T>.Count;

        public static Vector512<T> Load(ref T source) => Vector512.LoadUnsafe(ref source);

        public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

        public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => Gemm<T>.MultiplyAdd(a, b, c);

        public static void Store(Vector512<T> value, ref T target) => value.StoreUnsafe(ref target);
    }

    private struct Lanes256 : ILanes<Vector256<T>>
    {
        public static int Count => Vector256<T>.Count;

        public static Vector256<T> Load(ref T source) => Vector256.LoadUnsafe(ref source);

        public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

        public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => Gemm<T>.MultiplyAdd(a, b, c);

        public static void Store(Vector256<T> value, ref T target) => value.StoreUnsafe(ref target);
    }

    private struct Lanes128 : ILanes<Vector128<T>>
    {
        public static int Count => Vector128<T>.Count;

        public static Vector128<T> Load(ref T source) => Vector128.LoadUnsafe(ref source);

        public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

        public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => Gemm<T>.MultiplyAdd(a, b, c);

        public static void Store(Vector128<T> value, ref T target) => value.StoreUnsafe(ref target);
    }
}
