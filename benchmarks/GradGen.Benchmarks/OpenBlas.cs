using System.Runtime.InteropServices;

namespace GradGen.Benchmarks;

/// <summary>OpenBLAS's matrix products (Debian's libopenblas0), called through P/Invoke: the benchmark's reference only.</summary>
internal static partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111;

    [LibraryImport(Library, EntryPoint = "cblas_dgemm")]
    private static partial void Dgemm(int order, int transA, int transB, int m, int n, int k, double alpha,
        double[] a, int lda, double[] b, int ldb, double beta, double[] c, int ldc);

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    private static partial void Sgemm(int order, int transA, int transB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc);

    /// <summary>c = a·b for square n×n row-major matrices.</summary>
    public static void Multiply(double[] a, double[] b, double[] c, int n) => Dgemm(RowMajor, NoTrans, NoTrans, n, n, n, 1, a, n, b, n, 0, c, n);

    public static void Multiply(float[] a, float[] b, float[] c, int n) => Sgemm(RowMajor, NoTrans, NoTrans, n, n, n, 1, a, n, b, n, 0, c, n);

    public static bool IsAvailable => NativeLibrary.TryLoad(Library, out _);
}
