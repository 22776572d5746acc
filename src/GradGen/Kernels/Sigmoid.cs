using System;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using static GradGen.Kernels.FloatFunctions;

namespace GradGen.Kernels;

/// <summary>
/// The logistic function σ(x) = 1 / (1 + e⁻ˣ), in the stable form: e = exp(−|x|) ∈ (0, 1], never overflowing, and
/// σ = 1 / (1 + e) for x ≥ 0, e / (1 + e) below, one division either way; 2ⁿ in two factors where |x| > 87, so that
/// results in the subnormal range are rounded once rather than flushed to zero; NaN stays NaN through every step. In
/// float within 2.4 ulps of the exact value over every 7th float from −120 to 120 (<c>FloatActivationTests</c> checks 3), and
/// faster than <see cref="TensorPrimitives.Sigmoid{T}"/>: 2¹⁵ floats on one core in 14–17 µs against 30 on AVX2,
/// 16–17 against 18 with AVX-512 (whose 512-bit registers the library uses and this does not). Doubles go to
/// <see cref="DoubleSigmoid"/>, whose rational exponential shares the logistic's division (the scheme above with a
/// polynomial of degree 11 or 13 was no faster than the library's: docs/performance.md).
/// </summary>
internal readonly struct Sigmoid : IFloatFunction
{
    public static void Library<T>(ReadOnlySpan<T> x, Span<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double) && DoubleSigmoid.IsAccelerated) DoubleSigmoid.Apply(MemoryMarshal.Cast<T, double>(x), MemoryMarshal.Cast<T, double>(destination));
        else TensorPrimitives.Sigmoid(x, destination);
    }

    /// <summary>σ of a vector, from e = exp(t), t = −|x|: about 20 vector operations where no lane's |x| is above 87.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Put(Vector<float> x, ref float destination)
    {
        var t = NegativeMagnitude(x);
        if (Vector.LessThanAny(t, new Vector<float>(-87f)))
        {
            OfLarge(x, t).StoreUnsafe(ref destination);
            return;
        }
        var r = Reduce(t, out var k);
        Logistic(x, ExpOfReduced(r) * PowerOfTwo(k)).StoreUnsafe(ref destination);
    }

    /// <summary>
    /// σ where a lane's |x| is above 87, ∞ included: t ≥ −104 (e^t is below the smallest subnormal further down), and 2ⁿ
    /// as two normal powers of two, 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋), so that e rounds once into the subnormal range.
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

    /// <summary>σ(x) from e = exp(−|x|): 1 / (1 + e) for x ≥ 0 (and −0), e / (1 + e) below; NaN for NaN, whose e is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> Logistic(Vector<float> x, Vector<float> e) =>
        Vector.ConditionalSelect(Vector.LessThan(x, Vector<float>.Zero), e, Vector<float>.One) / (Vector<float>.One + e);
}
