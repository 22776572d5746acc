using System;
using BenchmarkDotNet.Attributes;
using GradGen;

namespace GradGen.Benchmarks;

// Each benchmark returns the loss (a double) rather than the tuple: a tuple returned as object would be boxed, an
// allocation of the benchmark, not of the step.

/// <summary>Random inputs of the network benchmarks, the same for every method of a run.</summary>
public abstract class NetworkSize
{
    /// <summary>batch × inputs → hidden → classes.</summary>
    [Params("4x2-3-2", "256x64-128-10", "1024x1024-1024-1024")]
    public string Size { get; set; } = "";

    protected Matrix<double> W1 = null!, B1 = null!, W2 = null!, B2 = null!, X = null!;
    protected int[] Labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var parts = Size.Split('x', '-');
        var (batch, inputs, hidden, classes) = (int.Parse(parts[0]), int.Parse(parts[1]), int.Parse(parts[2]), int.Parse(parts[3]));
        var random = new Random(0);
        (W1, B1, W2, B2, X) = (Random(random, inputs, hidden), Random(random, 1, hidden), Random(random, hidden, classes), Random(random, 1, classes), Random(random, batch, inputs));
        Labels = new int[batch];
        for (var i = 0; i < batch; i++) Labels[i] = random.Next(classes);
    }

    internal static Matrix<double> Random(Random random, int rows, int columns)
    {
        var m = new Matrix<double>(rows, columns);
        for (var i = 0; i < m.Length; i++) m.Span[i] = (random.NextDouble() - 0.5) / Math.Sqrt(rows);
        return m;
    }
}

/// <summary>
/// The generated backward against the same formulas written by hand over the same kernels (baseline), each over its
/// own workspace: a steady-state training step.
/// </summary>
[MemoryDiagnoser]
public class GeneratedVersusHandWritten : NetworkSize
{
    private readonly Workspace _handWritten = new(), _generated = new();

    [Benchmark(Baseline = true)]
    public double HandWritten() => Network.HandWritten(W1, B1, W2, B2, X, Labels, _handWritten).Loss;

    [Benchmark]
    public double Generated() => Network.LossWithGradient(W1, B1, W2, B2, X, Labels, _generated).Value;
}

/// <summary>The cheap-gradient ratio: forward + backward against the forward alone (baseline), both over a workspace.</summary>
[MemoryDiagnoser]
public class GradientVersusForward : NetworkSize
{
    private readonly Workspace _forward = new(), _gradient = new();

    [Benchmark(Baseline = true)]
    public double Forward() => Network.ForwardOnly(W1, B1, W2, B2, X, Labels, _forward);

    [Benchmark]
    public double ForwardAndBackward() => Network.LossWithGradient(W1, B1, W2, B2, X, Labels, _gradient).Value;
}

/// <summary>The matrix product c = a·b of two n×n matrices, GradGen's kernel against OpenBLAS (baseline), both into a preallocated c.</summary>
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class MatrixProduct
{
    [Params(256, 1024)]
    public int N { get; set; }

    private Matrix<double> _ad = null!, _bd = null!, _cd = null!;
    private Matrix<float> _af = null!, _bf = null!, _cf = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        (_ad, _bd, _cd) = (NetworkSize.Random(random, N, N), NetworkSize.Random(random, N, N), new Matrix<double>(N, N));
        (_af, _bf, _cf) = (ToFloat(_ad), ToFloat(_bd), new Matrix<float>(N, N));
    }

    [Benchmark(Baseline = true), BenchmarkCategory("double")]
    public void OpenBlasDouble() => OpenBlas.Multiply(_ad.Span, false, _bd.Span, false, _cd.Span, N, N, N);

    [Benchmark, BenchmarkCategory("double")]
    public void GradGenDouble() => Matrix.MatMulInto(_cd, _ad, _bd);

    [Benchmark(Baseline = true), BenchmarkCategory("float")]
    public void OpenBlasFloat() => OpenBlas.Multiply(_af.Span, false, _bf.Span, false, _cf.Span, N, N, N);

    [Benchmark, BenchmarkCategory("float")]
    public void GradGenFloat() => Matrix.MatMulInto(_cf, _af, _bf);

    internal static Matrix<float> ToFloat(Matrix<double> m)
    {
        var f = new Matrix<float>(m.Rows, m.Columns);
        for (var i = 0; i < m.Length; i++) f.Span[i] = (float)m.Span[i];
        return f;
    }
}

/// <summary>Seed 002's comparison: the fused softmax + cross-entropy backward against the separate path (baseline).</summary>
[MemoryDiagnoser]
public class FusedSoftmaxCrossEntropy
{
    [Params(300, 4096)]
    public int Batch { get; set; }

    private Matrix<double> _logits = null!;
    private int[] _labels = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _logits = NetworkSize.Random(random, Batch, 10);
        _labels = new int[Batch];
        for (var i = 0; i < Batch; i++) _labels[i] = random.Next(10);
    }

    [Benchmark(Baseline = true)]
    public double Separate() => Network.SeparateSoftmaxCrossEntropy(_logits, _labels).Loss;

    [Benchmark]
    public double Fused() => Network.SoftmaxCrossEntropyWithGradient(_logits, _labels).Value;

    /// <summary>The fused backward over a workspace, as a training step runs it.</summary>
    [Benchmark]
    public double FusedOverWorkspace() => Network.SoftmaxCrossEntropyWithGradient(_logits, _labels, _workspace).Value;

    private readonly Workspace _workspace = new();
}
