namespace GradGen.Tests;

/// <summary>
/// The tests' tolerance policy. Comparisons are relative, |actual − expected| ≤ tolerance · max(1, |expected|), with the
/// tolerance set by the precision and by what lies between the two numbers, never by how many digits happened to agree on
/// one machine: SIMD kernels (TensorPrimitives, the GEMM) round differently on AVX-512 and AVX2 machines, and the scalar and
/// vector exp differ in the last bits. CI runs the numerical tests both ways (<c>DOTNET_EnableAVX512=0</c>).
/// </summary>
internal static class Tolerance
{
    /// <summary>The same formula in double, in another order or through SIMD kernels: a few thousand ulps (2.2e-16) of margin.</summary>
    public const double Double = 1e-12;

    /// <summary>
    /// The same formula in float, in another order or through SIMD kernels (e.g. a loss summed over a batch, SIMD exp against
    /// scalar exp): float's ulp is 1.2e-7, and sums over tens of terms accumulate tens of them.
    /// </summary>
    public const double Float = 1e-5;

    /// <summary>
    /// A derivative against central finite differences in double (h = 1e-6 relative): truncation O(h²·f‴) plus rounding
    /// O(ε·f/h) ≈ 1e-10; 1e-6 leaves room for curvature.
    /// </summary>
    public const double FiniteDifference = 1e-6;

    public static void AssertClose(double expected, double actual, double tolerance, string what = "value")
    {
        var error = Math.Abs(actual - expected) / Math.Max(1, Math.Abs(expected));
        Assert.True(error <= tolerance, $"{what}: expected {expected:R}, got {actual:R} (relative error {error:E2} > {tolerance:E0})");
    }
}
