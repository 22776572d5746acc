using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GradGen.Kernels;

/// <summary>A function a vector at a time, which stores its own result (a result merged from two paths went through the stack).</summary>
internal interface IVectorFunction<T> where T : unmanaged
{
    static abstract void Put(Vector<T> x, ref T destination);
}

/// <summary>A function of floats a vector at a time (<see cref="IVectorFunction{T}"/>), and of other types.</summary>
internal interface IFloatFunction : IVectorFunction<float>
{
    /// <summary>The function of other types (doubles; floats where vectors are not accelerated): the library's, or one of ours.</summary>
    static abstract void Library<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>;
}

/// <summary>
/// Activations of floats computed in float (<see cref="Sigmoid"/>, <see cref="Tanh"/>): the loop over a span, and the
/// pieces of their exponential, Cephes' — t = n·ln 2 + r, |r| ≤ ln 2 / 2, a degree-5 polynomial for e^r, 2ⁿ put in the
/// exponent field — with fused multiply-adds where the processor has them. System.Numerics.Tensors computes a float's
/// exponential in double (its <c>ExpSingle</c> widens each vector), two to three times slower on AVX2.
/// </summary>
internal static class FloatFunctions
{
    /// <summary>destination = f(x), element by element (floats here, other types by the library); x and destination may be the same span.</summary>
    public static void Apply<T, TFunction>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T> where TFunction : IFloatFunction
    {
        if (Vector.IsHardwareAccelerated && typeof(T) == typeof(float)) Map<float, TFunction>(MemoryMarshal.Cast<T, float>(x), MemoryMarshal.Cast<T, float>(destination));
        else TFunction.Library(x, destination);
    }

    /// <summary>destination = f(x) a vector at a time (<see cref="DoubleSigmoid"/>'s loop too); x and destination may be the same span.</summary>
    public static void Map<T, TFunction>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged where TFunction : IVectorFunction<T>
    {
        if (destination.Length < x.Length) throw new ArgumentException($"{typeof(TFunction).Name}: {x.Length} elements into {destination.Length}.");
        ref var source = ref MemoryMarshal.GetReference(x);
        ref var target = ref MemoryMarshal.GetReference(destination);
        var w = Vector<T>.Count;
        var i = 0;
        for (; i <= x.Length - w; i += w) TFunction.Put(Vector.LoadUnsafe(ref source, (nuint)i), ref Unsafe.Add(ref target, i));
        if (i == x.Length) return;
        // The last few through a vector on the stack: recomputing an overlapping last vector would apply f twice in place.
        Span<T> tail = stackalloc T[w];
        x[i..].CopyTo(tail);
        TFunction.Put(new Vector<T>(tail), ref MemoryMarshal.GetReference(tail));
        tail[..(x.Length - i)].CopyTo(destination[i..]);
    }

    /// <summary>The bits of 1.5·2²³: k = t / ln 2 + 1.5·2²³ rounds t / ln 2 to an integer n, and k's bits less these are n.</summary>
    public const int Shift = 0x4B40_0000;

    /// <summary>t = n·ln 2 + r, |r| ≤ ln 2 / 2, n = round(t / ln 2) held in <paramref name="k"/> (see <see cref="Shift"/>); ln 2 in two parts, the first exact in n times it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Reduce(Vector<float> t, out Vector<float> k)
    {
        k = MultiplyAdd(t, new Vector<float>(1.44269504088896341f), new Vector<float>(12582912f));
        var n = k - new Vector<float>(12582912f);
        return MultiplyAdd(n, new Vector<float>(2.12194440e-4f), MultiplyAdd(n, new Vector<float>(-0.693359375f), t));
    }

    /// <summary>2ⁿ for n = round(t / ln 2) held in <paramref name="k"/>, n ≥ −126: n + 127 in the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> PowerOfTwo(Vector<float> k) =>
        Vector.AsVectorSingle(Vector.ShiftLeft(Vector.AsVectorInt32(k) - new Vector<int>(Shift - 127), 23));

    /// <summary>e^r − 1 for |r| ≤ ln 2 / 2, without the cancellation of e^r, then − 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> Expm1OfReduced(Vector<float> r) => Series(r) * r;

    /// <summary>e^r for |r| ≤ ln 2 / 2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> ExpOfReduced(Vector<float> r) => MultiplyAdd(Series(r), r, Vector<float>.One);

    /// <summary>1 + r·P(r) = (e^r − 1) / r, P Cephes' degree-5 polynomial for (e^r − 1 − r) / r², by Horner's scheme.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Series(Vector<float> r)
    {
        var p = MultiplyAdd(r, new Vector<float>(1.9875691500e-4f), new Vector<float>(1.3981999507e-3f));
        p = MultiplyAdd(p, r, new Vector<float>(8.3334519073e-3f));
        p = MultiplyAdd(p, r, new Vector<float>(4.1665795894e-2f));
        p = MultiplyAdd(p, r, new Vector<float>(1.6666665459e-1f));
        p = MultiplyAdd(p, r, new Vector<float>(5.0000001201e-1f));
        return MultiplyAdd(p, r, Vector<float>.One);
    }

    /// <summary>−|x|: x with its sign bit set (NaN stays NaN).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<float> NegativeMagnitude(Vector<float> x) => Vector.AsVectorSingle(Vector.AsVectorUInt32(x) | new Vector<uint>(0x8000_0000));

    /// <summary>a·b + c in float or double, fused (one rounding) where the processor has FMA.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<T> MultiplyAdd<T>(Vector<T> a, Vector<T> b, Vector<T> c) where T : unmanaged
    {
        if (Fma.IsSupported && Vector<T>.Count == Vector256<T>.Count)
        {
            if (typeof(T) == typeof(float)) return Fma.MultiplyAdd(a.AsVector256().AsSingle(), b.AsVector256().AsSingle(), c.AsVector256().AsSingle()).As<float, T>().AsVector();
            if (typeof(T) == typeof(double)) return Fma.MultiplyAdd(a.AsVector256().AsDouble(), b.AsVector256().AsDouble(), c.AsVector256().AsDouble()).As<double, T>().AsVector();
        }
        return a * b + c;
    }
}
