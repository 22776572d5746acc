using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using static GradGen.Kernels.FloatFunctions;

namespace GradGen.Kernels;

/// <summary>
/// The logistic function of doubles, σ(x) = 1 / (1 + e⁻ˣ), with the exponential's rational approximation sharing the
/// logistic's division. With y = |x| = n·ln 2 + r, |r| ≤ ln 2 / 2, and Padé's [6/6] approximant e^r ≈ P(r) / P(−r)
/// (P(r) = E(r²) + r·O(r²), its error below 2·10⁻¹⁹ on that interval):
/// σ(y) = P(r) / (P(r) + 2⁻ⁿ·P(−r)) and σ(−y) = 2⁻ⁿ·P(−r) / (P(r) + 2⁻ⁿ·P(−r)), one division for both, where the
/// exponential by a polynomial takes one of its own before the logistic's. Within 2 ulps of 1 / (1 + e⁻ˣ) from
/// <see cref="Math.Exp"/> carried in two doubles, with fused multiply-adds and without (<c>DoubleSigmoidTests</c>
/// checks 3); subnormal results rounded (2⁻ⁿ in two factors where y > 708), NaN kept. 2¹⁵ doubles on one AVX2 core:
/// 42 µs against TensorPrimitives' 48–53; the batch-256 step's sigmoid of the sum, on both cores, 30 → 25 µs.
/// </summary>
internal readonly struct DoubleSigmoid : IVectorFunction<double>
{
    /// <summary>
    /// Whether vectors of doubles are accelerated: the library's sigmoid otherwise. With AVX-512 too, though the
    /// library's is faster there on 512-bit vectors (the batch-256 step's sigmoid of the sum 23.7 against 25.5 µs): it
    /// flushes σ's subnormal results to zero there, and this one gives the same bits on AVX2 and AVX-512 machines.
    /// </summary>
    public static bool IsAccelerated => Vector.IsHardwareAccelerated;

    /// <summary>destination = σ(x), element by element; x and destination may be the same span.</summary>
    public static void Apply(ReadOnlySpan<double> x, Span<double> destination) => FloatFunctions.Map<double, DoubleSigmoid>(x, destination);

    /// <summary>The bits of 1.5·2⁵²: k = y / ln 2 + 1.5·2⁵² rounds y / ln 2 to an integer n, and k's bits less these are n.</summary>
    private const double Shift = 6755399441055744.0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Put(Vector<double> x, ref double destination)
    {
        var y = Vector.Abs(x);
        if (Vector.GreaterThanAny(y, new Vector<double>(708.0)))
        {
            OfLarge(x, y).StoreUnsafe(ref destination);
            return;
        }
        var (plus, minus) = Approximant(y, out var n);
        Logistic(x, plus, minus * PowerOfTwoMinus(n)).StoreUnsafe(ref destination);
    }

    /// <summary>
    /// σ where a lane's |x| is above 708, ∞ included: y ≤ 746 (e⁻ʸ is below the smallest subnormal further on), and
    /// 2⁻ⁿ as two normal powers of two, 2^−⌊n/2⌋ and 2^−(n − ⌊n/2⌋), so that 2⁻ⁿ·P(−r) rounds once into the subnormal range.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector<double> OfLarge(Vector<double> x, Vector<double> y)
    {
        y = Vector.ConditionalSelect(Vector.GreaterThan(y, new Vector<double>(746.0)), new Vector<double>(746.0), y);
        var (plus, minus) = Approximant(y, out var n);
        var half = Vector.ShiftRightLogical(n, 1);
        return Logistic(x, plus, minus * PowerOfTwoMinus(half) * PowerOfTwoMinus(n - half));
    }

    /// <summary>P(r) and P(−r) for r = y − n·ln 2 (ln 2 in two parts, the first exact in n times it), n = round(y / ln 2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector<double> Plus, Vector<double> Minus) Approximant(Vector<double> y, out Vector<long> n)
    {
        var k = MultiplyAdd(y, new Vector<double>(1.4426950408889634), new Vector<double>(Shift));
        n = Vector.AsVectorInt64(k) - Vector.AsVectorInt64(new Vector<double>(Shift));
        var whole = k - new Vector<double>(Shift);
        var r = MultiplyAdd(whole, new Vector<double>(-1.90821492927058770002e-10), MultiplyAdd(whole, new Vector<double>(-6.93147180369123816490e-01), y));
        var r2 = r * r;
        // P(r) = Σ (12 − j)!·6! / (12!·j!·(6 − j)!) rʲ: the even part E(r²), the odd part r·O(r²).
        var even = MultiplyAdd(MultiplyAdd(MultiplyAdd(new Vector<double>(1.0 / 665280), r2, new Vector<double>(1.0 / 792)), r2, new Vector<double>(5.0 / 44)), r2, Vector<double>.One);
        var odd = r * MultiplyAdd(MultiplyAdd(new Vector<double>(1.0 / 15840), r2, new Vector<double>(1.0 / 66)), r2, new Vector<double>(0.5));
        return (even + odd, even - odd);
    }

    /// <summary>2⁻ᵐ for 0 ≤ m ≤ 1022: 1023 − m in the exponent field.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> PowerOfTwoMinus(Vector<long> m) => Vector.AsVectorDouble(new Vector<long>(0x3FF0_0000_0000_0000) - Vector.ShiftLeft(m, 52));

    /// <summary>σ from P(r) and 2⁻ⁿ·P(−r): the first over their sum for x ≥ 0 (and −0), the second below; NaN for NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<double> Logistic(Vector<double> x, Vector<double> plus, Vector<double> scaledMinus)
    {
        var numerator = Avx.IsSupported && Vector<double>.Count == Vector256<double>.Count
            ? Avx.BlendVariable(plus.AsVector256(), scaledMinus.AsVector256(), x.AsVector256()).AsVector()
            : Vector.ConditionalSelect(Vector.LessThan(x, Vector<double>.Zero), scaledMinus, plus);
        return numerator / (plus + scaledMinus);
    }
}
