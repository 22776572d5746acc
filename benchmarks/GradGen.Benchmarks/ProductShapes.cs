using System;
using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using GradGen;

namespace GradGen.Benchmarks;

/// <summary>
/// The matrix products of the peer steps at their real shapes, forward and backward (transposed operands as the
/// generated backward passes them), GradGen's kernel against OpenBLAS (baseline), double and float, into a preallocated C.
/// </summary>
[GroupBenchmarksBy(BenchmarkDotNet.Configs.BenchmarkLogicalGroupRule.ByCategory), CategoriesColumn]
public class ProductShapes
{
    /// <summary>Each product as m, n, k and which operand is transposed; the name shows op(A)·op(B) as the step computes it.</summary>
    public static readonly IReadOnlyDictionary<string, (int M, int N, int K, bool TransposeA, bool TransposeB)> All =
        new Dictionary<string, (int, int, int, bool, bool)>
        {
            ["256: x·W1 256x64·64x128"] = (256, 128, 64, false, false),
            ["256: h·W2 256x128·128x10"] = (256, 10, 128, false, false),
            ["256: dz2·W2ᵀ 256x10·10x128"] = (256, 128, 10, false, true),
            ["256: hᵀ·dz2 128x256·256x10"] = (128, 10, 256, true, false),
            ["256: xᵀ·dz1 64x256·256x128"] = (64, 128, 256, true, false),
            ["1024: x·W1 1024³"] = (1024, 1024, 1024, false, false),
            ["1024: dz2·W2ᵀ 1024³"] = (1024, 1024, 1024, false, true),
            ["1024: hᵀ·dz2 1024³"] = (1024, 1024, 1024, true, false),
        };

    public static IEnumerable<string> Shapes => All.Keys;

    [ParamsSource(nameof(Shapes))]
    public string Shape { get; set; } = "";

    private (int M, int N, int K, bool TransposeA, bool TransposeB) _shape;
    private Matrix<double> _ad = null!, _bd = null!, _cd = null!;
    private Matrix<float> _af = null!, _bf = null!, _cf = null!;

    [GlobalSetup]
    public void Setup()
    {
        _shape = All[Shape];
        var (m, n, k, transposeA, transposeB) = _shape;
        var random = new Random(4);
        _ad = transposeA ? NetworkSize.Random(random, k, m) : NetworkSize.Random(random, m, k);
        _bd = transposeB ? NetworkSize.Random(random, n, k) : NetworkSize.Random(random, k, n);
        _cd = new Matrix<double>(m, n);
        (_af, _bf, _cf) = (MatrixProduct.ToFloat(_ad), MatrixProduct.ToFloat(_bd), new Matrix<float>(m, n));
    }

    [Benchmark(Baseline = true), BenchmarkCategory("double")]
    public void OpenBlasDouble() => OpenBlas.Multiply(_ad.Span, _shape.TransposeA, _bd.Span, _shape.TransposeB, _cd.Span, _shape.M, _shape.N, _shape.K);

    [Benchmark, BenchmarkCategory("double")]
    public void GradGenDouble() => Matrix.MatMulInto(_cd, _ad, _bd, _shape.TransposeA, _shape.TransposeB);

    [Benchmark(Baseline = true), BenchmarkCategory("float")]
    public void OpenBlasFloat() => OpenBlas.Multiply(_af.Span, _shape.TransposeA, _bf.Span, _shape.TransposeB, _cf.Span, _shape.M, _shape.N, _shape.K);

    [Benchmark, BenchmarkCategory("float")]
    public void GradGenFloat() => Matrix.MatMulInto(_cf, _af, _bf, _shape.TransposeA, _shape.TransposeB);
}
