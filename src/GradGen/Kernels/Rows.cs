using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GradGen.Kernels;

/// <summary>
/// Reductions and updates of one row of a matrix: a long one by <see cref="TensorPrimitives"/> (unrolled, and wider on
/// AVX-512), a short one (a classifier's ten classes) by a vector loop inlined into the caller's loop over rows. A
/// library call costs a few nanoseconds before its first element, as much as the work on ten: a softmax of 256×10
/// doubles made five calls per row and took 11 µs on AVX2, against 3 for its exponentials.
/// </summary>
internal static class Rows
{
    /// <summary>Rows up to this many elements are short.</summary>
    private const int Short = 64;

    /// <summary>The largest element, or NaN when one is NaN, as <c>TensorPrimitives.Max</c> (which refuses an empty row).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Max<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length > Short || row.IsEmpty) return TensorPrimitives.Max(row);
        ref var first = ref MemoryMarshal.GetReference(row);
        var w = Vector<T>.Count;
        if (!Vector.IsHardwareAccelerated || row.Length < w)
        {
            var max = first;
            for (var i = 1; i < row.Length; i++) max = T.Max(max, Unsafe.Add(ref first, i));
            return max;
        }
        var lanes = Vector.LoadUnsafe(ref first);
        var unordered = Vector.OnesComplement(Vector.Equals(lanes, lanes));
        for (var i = w; i < row.Length; i += w)
        {
            // The last vector overlaps the one before it: an element taken twice leaves the maximum as it is.
            var next = Vector.LoadUnsafe(ref first, (nuint)Math.Min(i, row.Length - w));
            (lanes, unordered) = (Larger(lanes, next), unordered | Vector.OnesComplement(Vector.Equals(next, next)));
        }
        return unordered == Vector<T>.Zero ? Largest(lanes) : T.NaN;
    }

    /// <summary>
    /// The larger of each pair of lanes, either of two equal ones, for vectors the caller has checked for NaN: a compare
    /// and a blend, where <c>Vector.Max</c> orders NaN and −0 first (ten instructions in a chain on AVX2 since .NET 9).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Larger<T>(Vector<T> a, Vector<T> b) where T : unmanaged, IFloatingPointIeee754<T> =>
        Vector.ConditionalSelect(Vector.GreaterThan(a, b), a, b);

    /// <summary>The largest lane of a vector without NaN, by halves: a chain of three steps, not one per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Largest<T>(Vector<T> lanes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (Vector<T>.Count > Vector256<T>.Count)
        {
            // Vector<T> made 512 bits wide (DOTNET_MaxVectorTBitWidth=512): lane by lane.
            var max = lanes[0];
            for (var i = 1; i < Vector<T>.Count; i++) max = Bigger(max, lanes[i]);
            return max;
        }
        var half = lanes.AsVector128();
        if (Vector<T>.Count == Vector256<T>.Count)
        {
            var (low, high) = (lanes.AsVector256().GetLower(), lanes.AsVector256().GetUpper());
            half = Vector128.ConditionalSelect(Vector128.GreaterThan(low, high), low, high);
        }
        var pair = Bigger(half.GetElement(0), half.GetElement(1));
        return Vector128<T>.Count == 2 ? pair : Bigger(pair, Bigger(half.GetElement(2), half.GetElement(3)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Bigger<T>(T a, T b) where T : unmanaged, IFloatingPointIeee754<T> => a > b ? a : b;

    /// <summary>The sum of the elements (a short row's lane by lane, then across the lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum<T>(ReadOnlySpan<T> row) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length > Short) return TensorPrimitives.Sum(row);
        ref var first = ref MemoryMarshal.GetReference(row);
        var (w, i, sum) = (Vector<T>.Count, 0, T.Zero);
        if (Vector.IsHardwareAccelerated && row.Length >= w)
        {
            var lanes = Vector.LoadUnsafe(ref first);
            for (i = w; i <= row.Length - w; i += w) lanes += Vector.LoadUnsafe(ref first, (nuint)i);
            sum = Vector.Sum(lanes);
        }
        for (; i < row.Length; i++) sum += Unsafe.Add(ref first, i);
        return sum;
    }

    /// <summary>destination = x + y, element by element (bit for bit what <c>TensorPrimitives.Add</c> writes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length > Short)
        {
            TensorPrimitives.Add(x, y, destination);
            return;
        }
        if (y.Length != x.Length || destination.Length != x.Length) throw new ArgumentException("Rows.Add: the rows differ in length.");
        ref var a = ref MemoryMarshal.GetReference(x);
        ref var b = ref MemoryMarshal.GetReference(y);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var (w, i) = (Vector<T>.Count, 0);
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - w; i += w) (Vector.LoadUnsafe(ref a, (nuint)i) + Vector.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) + Unsafe.Add(ref b, i);
    }

    /// <summary>destination = x − value, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract<T>(ReadOnlySpan<T> x, T value, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Length > Short)
        {
            TensorPrimitives.Subtract(x, value, destination);
            return;
        }
        if (destination.Length != x.Length) throw new ArgumentException("Rows.Subtract: the rows differ in length.");
        ref var a = ref MemoryMarshal.GetReference(x);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var (w, i, lanes) = (Vector<T>.Count, 0, new Vector<T>(value));
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= x.Length - w; i += w) (Vector.LoadUnsafe(ref a, (nuint)i) - lanes).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < x.Length; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref a, i) - value;
    }

    /// <summary>row = row · factor, element by element.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale<T>(Span<T> row, T factor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (row.Length > Short)
        {
            TensorPrimitives.Multiply(row, factor, row);
            return;
        }
        ref var a = ref MemoryMarshal.GetReference(row);
        var (w, i, lanes) = (Vector<T>.Count, 0, new Vector<T>(factor));
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= row.Length - w; i += w) (Vector.LoadUnsafe(ref a, (nuint)i) * lanes).StoreUnsafe(ref a, (nuint)i);
        }
        for (; i < row.Length; i++) Unsafe.Add(ref a, i) *= factor;
    }
}
