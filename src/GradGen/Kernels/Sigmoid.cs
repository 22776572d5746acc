using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradGen.Kernels;

/// <summary>
/// The logistic function σ(x) = 1 / (1 + e⁻ˣ) over a span of floats, in the stable form: e = exp(−|x|) ∈ (0, 1], never
/// overflowing, and σ = 1 / (1 + e) for x ≥ 0, e / (1 + e) below, one division either way. The exponential is Cephes'
/// (a degree-5 polynomial on [−ln 2 / 2, ln 2 / 2]) scaled by 2ⁿ, in two factors below −87 so that results in the
/// subnormal range are rounded once rather than flushed to zero; NaN stays NaN through every step. Within 2.4 ulps of
/// the exact value over every 7th float from −120 to 120 (<c>SigmoidTests</c> checks 3), and faster than
/// <see cref="TensorPrimitives.Sigmoid{T}"/>, which computes a float's exponential in double: 2¹⁵ floats on one core in
/// 14–17 µs against 30 on AVX2, 16–17 against 18 with AVX-512 (whose 512-bit registers the library uses and this does not).
/// Doubles stay with the library: the same scheme with Taylor's degree-13 polynomial (by Horner's or Estrin's scheme, in one
/// factor or two) took 44–48 µs for 2¹⁵ doubles on one AVX2 core, as the library does: about 45 instructions for four
/// doubles either way, at three a cycle.
/// </summary>
internal static class Sigmoid
{
    /// <summary>destination = σ(x), element by element (floats here, other types by the library); x and destination may be the same span.</summary>
    public static void Apply<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (destination.Length < x.Length) throw new ArgumentException($"Sigmoid: {x.Length} elements into {destination.Length}.");
        if (!Vector.IsHardwareAccelerated || typeof(T) != typeof(float))
        {
            TensorPrimitives.Sigmoid(x, destination);
            return;
        }
        ref var source = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(x));
        ref var target = ref Unsafe.As<T, float>(ref MemoryMarshal.GetReference(destination));
        var w = Vector<float>.Count;
        var i = 0;
        for (; i <= x.Length - w; i += w) Put(Vector.LoadUnsafe(ref source, (nuint)i), ref Unsafe.Add(ref target, i));
        if (i == x.Length) return;
        // The last few through a vector on the stack: recomputing an overlapping last vector would apply σ twice in place.
        Span<float> tail = stackalloc float[w];
        MemoryMarshal.Cast<T, float>(x)[i..].CopyTo(tail);
        Put(new Vector<float>(tail), ref MemoryMarshal.GetReference(tail));
        tail[..(x.Length - i)].CopyTo(MemoryMarshal.Cast<T, float>(destination)[i..]);
    }

    /// <summary>
    /// σ of a vector of floats into <paramref name="destination"/>, from e = exp(t), t = −|x|: about 20 vector operations
    /// where no lane's |x| is above 87. Each path stores its own result: a result merged from the two went through the
    /// stack.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put(Vector<float> x, ref float destination)
    {
        var t = Vector.AsVectorSingle(Vector.AsVectorUInt32(x) | new Vector<uint>(0x8000_0000));
        if (Vector.LessThanAny(t, new Vector<float>(-87f)))
        {
            OfLarge(x, t).StoreUnsafe(ref destination);
            return;
        }
        var r = Reduce(t, out var k);
        // 2ⁿ: n + 127 in the exponent field, from k's bits.
        var scale = Vector.AsVectorSingle(Vector.ShiftLeft(Vector.AsVectorInt32(k) - new Vector<int>(Shift - 127), 23));
        Logistic(x, ExpOfReduced(r) * scale).StoreUnsafe(ref destination);
    }

    /// <summary>
    /// <see cref="Put"/>'s σ where a lane's |x| is above 87, ∞ included: t ≥ −104 (e^t is below the smallest
    /// subnormal further down), and 2ⁿ as two normal powers of two, 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋), so that e rounds once
    /// into the subnormal range rather than flushing to zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<float> OfLarge(Vector<float> x, Vector<float> t)
    {
        t = Vector.ConditionalSelect(Vector.LessThan(t, new Vector<float>(-104f)), new Vector<float>(-104f), t);
        var r = Reduce(t, out var k);
        var whole = Vector.AsVectorInt32(k) - new Vector<int>(Shift);
        var half = Vector.ShiftRightArithmetic(whole, 1);
        var e = ExpOfReduced(r) * Vector.AsVectorSingle(Vector.ShiftLeft(half + new Vector<int>(127), 23))
                                 * Vector.AsVectorSingle(Vector.ShiftLeft(whole - half + new Vector<int>(127), 23));
        return Logistic(x, e);
    }

    /// <summary>The bits of 1.5·2²³: k = t / ln 2 + 1.5·2²³ rounds t / ln 2 to an integer n, and k's bits less these are n.</summary>
    private const int Shift = 0x4B40_0000;

    /// <summary>t = n·ln 2 + r, |r| ≤ ln 2 / 2, n = round(t / ln 2) held in <paramref name="k"/> (see <see cref="Shift"/>); ln 2 in two parts, the first exact in n times it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Reduce(Vector<float> t, out Vector<float> k)
    {
        k = MultiplyAdd(t, new Vector<float>(1.44269504088896341f), new Vector<float>(12582912f));
        var n = k - new Vector<float>(12582912f);
        return MultiplyAdd(n, new Vector<float>(2.12194440e-4f), MultiplyAdd(n, new Vector<float>(-0.693359375f), t));
    }

    /// <summary>e^r for |r| ≤ ln 2 / 2: Cephes' degree-5 polynomial for (e^r − 1 − r) / r², Horner's scheme to the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> ExpOfReduced(Vector<float> r)
    {
        var p = MultiplyAdd(r, new Vector<float>(1.9875691500e-4f), new Vector<float>(1.3981999507e-3f));
        p = MultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = MultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = MultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = MultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        p = MultiplyAdd(p, r, Vector<float>.One);
        return MultiplyAdd(p, r, Vector<float>.One);
    }

    /// <summary>σ(x) from e = exp(−|x|): 1 / (1 + e) for x ≥ 0 (and −0), e / (1 + e) below; NaN for NaN, whose e is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Logistic(Vector<float> x, Vector<float> e) =>
        Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), e, Vector<float>.One) / (Vector<float>.One + e);

    /// <summary>a·b + c, fused (one rounding) where the processor has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MultiplyAdd(Vector<float> a, Vector<float> b, Vector<float> c) =>
        Fma.IsSupported && Vector<float>.Count == Vector256<float>.Count
            ? Fma.MultiplyAdd(a.AsVector256(), b.AsVector256(), c.AsVector256()).AsVector()
            : a * b + c;
}
