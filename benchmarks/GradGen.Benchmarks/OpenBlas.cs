using System;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace GradGen.Benchmarks;

/// <summary>OpenBLAS's matrix products (Debian's libopenblas0), called through P/Invoke: the benchmark's reference only.</summary>
internal static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    [LibraryImport(Library, EntryPoint = "cblas_dgemm")]
    private static partial void Dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, double beta, Span<double> c, int ldc);

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    private static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);

    /// <summary>c = op(a)·op(b), row-major, op(a) m×k and op(b) k×n, as <c>Matrix.MatMulInto</c> takes them.</summary>
    public static void Multiply(ReadOnlySpan<double> a, bool transposeA, ReadOnlySpan<double> b, bool transposeB, Span<double> c, int m, int n, int k) =>
        Dgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, 1, a, transposeA ? m : k, b, transposeB ? k : n, 0, c, n);

    public static void Multiply(ReadOnlySpan<float> a, bool transposeA, ReadOnlySpan<float> b, bool transposeB, Span<float> c, int m, int n, int k) =>
        Sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, 1, a, transposeA ? m : k, b, transposeB ? k : n, 0, c, n);

    public static bool IsAvailable => NativeLibrary.TryLoad(Library, out _);

    /// <summary>
    /// The kernels OpenBLAS is told to use. Debian's build picks them at run time from the processor's model, and takes a
    /// virtual machine's generic "Intel Xeon Processor" for a Prescott: kernels without AVX, a third of its speed on this
    /// kind of machine. Naming the instruction set the processor reports gives OpenBLAS its real kernels: SkylakeX on
    /// AVX-512, Haswell on AVX2. A user's <c>OPENBLAS_CORETYPE</c> is kept.
    /// </summary>
    public static string? CoreType => Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE")
        ?? (Avx512F.IsSupported ? "SkylakeX" : Avx2.IsSupported ? "Haswell" : null);
}
