using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Threading;

namespace GradGen.Benchmarks;

/// <summary>
/// The processor's multiply-add peak in float on all its cores, measured: twenty independent fused multiply-adds on the
/// widest vectors it has, on one thread per core, for about a second. No product runs faster; a target that needs a
/// product above it cannot be met on this machine.
/// </summary>
internal static class Peak
{
    private const long Rounds = 20_000_000;

    /// <summary>GFLOP/s (two per multiply-add), the best of three runs.</summary>
    public static double FloatGflops()
    {
        var (lanes, run) = Avx512F.IsSupported ? (Vector512<float>.Count, (Func<long, float>)Run512)
            : Fma.IsSupported ? (Vector256<float>.Count, Run256) : (0, null!);
        if (lanes == 0) return double.NaN;
        run(1000);
        var best = 0.0;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var threads = new Thread[Environment.ProcessorCount];
            var clock = Stopwatch.StartNew();
            for (var t = 0; t < threads.Length; t++) (threads[t] = new Thread(() => run(Rounds))).Start();
            foreach (var thread in threads) thread.Join();
            best = Math.Max(best, threads.Length * Rounds * 20.0 * lanes * 2 / clock.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Run512(long rounds)
    {
        var (a, b) = (Vector512.Create(1.0000001f), Vector512.Create(0.9999999f));
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default;
        Vector512<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default, d6 = default, d7 = default, d8 = default, d9 = default;
        for (var i = 0L; i < rounds; i++)
        {
            c0 = Avx512F.FusedMultiplyAdd(a, b, c0); c1 = Avx512F.FusedMultiplyAdd(a, b, c1); c2 = Avx512F.FusedMultiplyAdd(a, b, c2); c3 = Avx512F.FusedMultiplyAdd(a, b, c3); c4 = Avx512F.FusedMultiplyAdd(a, b, c4);
            c5 = Avx512F.FusedMultiplyAdd(a, b, c5); c6 = Avx512F.FusedMultiplyAdd(a, b, c6); c7 = Avx512F.FusedMultiplyAdd(a, b, c7); c8 = Avx512F.FusedMultiplyAdd(a, b, c8); c9 = Avx512F.FusedMultiplyAdd(a, b, c9);
            d0 = Avx512F.FusedMultiplyAdd(a, b, d0); d1 = Avx512F.FusedMultiplyAdd(a, b, d1); d2 = Avx512F.FusedMultiplyAdd(a, b, d2); d3 = Avx512F.FusedMultiplyAdd(a, b, d3); d4 = Avx512F.FusedMultiplyAdd(a, b, d4);
            d5 = Avx512F.FusedMultiplyAdd(a, b, d5); d6 = Avx512F.FusedMultiplyAdd(a, b, d6); d7 = Avx512F.FusedMultiplyAdd(a, b, d7); d8 = Avx512F.FusedMultiplyAdd(a, b, d8); d9 = Avx512F.FusedMultiplyAdd(a, b, d9);
        }
        return Vector512.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Run256(long rounds)
    {
        var (a, b) = (Vector256.Create(1.0000001f), Vector256.Create(0.9999999f));
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default;
        Vector256<float> d0 = default, d1 = default, d2 = default, d3 = default, d4 = default, d5 = default, d6 = default, d7 = default, d8 = default, d9 = default;
        for (var i = 0L; i < rounds; i++)
        {
            c0 = Fma.MultiplyAdd(a, b, c0); c1 = Fma.MultiplyAdd(a, b, c1); c2 = Fma.MultiplyAdd(a, b, c2); c3 = Fma.MultiplyAdd(a, b, c3); c4 = Fma.MultiplyAdd(a, b, c4);
            c5 = Fma.MultiplyAdd(a, b, c5); c6 = Fma.MultiplyAdd(a, b, c6); c7 = Fma.MultiplyAdd(a, b, c7); c8 = Fma.MultiplyAdd(a, b, c8); c9 = Fma.MultiplyAdd(a, b, c9);
            d0 = Fma.MultiplyAdd(a, b, d0); d1 = Fma.MultiplyAdd(a, b, d1); d2 = Fma.MultiplyAdd(a, b, d2); d3 = Fma.MultiplyAdd(a, b, d3); d4 = Fma.MultiplyAdd(a, b, d4);
            d5 = Fma.MultiplyAdd(a, b, d5); d6 = Fma.MultiplyAdd(a, b, d6); d7 = Fma.MultiplyAdd(a, b, d7); d8 = Fma.MultiplyAdd(a, b, d8); d9 = Fma.MultiplyAdd(a, b, d9);
        }
        return Vector256.Sum(c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + d0 + d1 + d2 + d3 + d4 + d5 + d6 + d7 + d8 + d9);
    }
}
