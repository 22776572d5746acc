// Runs every benchmark suite and rewrites BENCHMARKS.md at the repository's root with the machine's description, BenchmarkDotNet's
// tables (each ratio against a baseline measured in the same run) and the figures derived from them.
// `dotnet run -c Release --project benchmarks/GradGen.Benchmarks` (about an hour); `-- --quick` for a one-iteration dry run.
// Needs OpenBLAS (apt-get install libopenblas0-pthread); PyTorch's column needs python3-torch and is left empty without it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Runtime.Intrinsics.X86;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Environments;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GradGen.Benchmarks;
using GradGen.Benchmarks.Peers;

// OpenBLAS's kernels are chosen before it loads, here and in every benchmark process this one starts.
if (OpenBlas.CoreType is { } coreType) Environment.SetEnvironmentVariable("OPENBLAS_CORETYPE", coreType);
if (!OpenBlas.IsAvailable)
{
    Console.Error.WriteLine("OpenBLAS (libopenblas.so.0) is missing: apt-get install libopenblas0-pthread");
    return 1;
}
if (Network.CheckHandWritten() is { } mismatch)
{
    Console.Error.WriteLine("The hand-written baseline disagrees with the generated gradient: " + mismatch);
    return 1;
}
var quick = args.Contains("--quick");
// The network steps are short and their ratios are what the targets judge: more iterations than ShortRun's three, in
// three processes: on a virtual machine a whole process can run at another speed than the next (on a Zen 4 host, one
// process of the batch-256 double step took 333–358 µs in all its iterations, another 176 µs).
var steady = quick ? Job.Dry.WithId("Dry") : Job.Default.WithLaunchCount(3).WithWarmupCount(5).WithIterationCount(20).WithId("Steady");
var brief = quick ? Job.Dry.WithId("Dry") : Job.ShortRun.WithId("ShortRun");
// On a machine with AVX-512, the products run a second time as a machine with only AVX2 runs them (its 256-bit kernels,
// and OpenBLAS's Haswell ones).
EnvironmentVariable[] withoutAvx512 = [new("DOTNET_EnableAVX512", "0"), new("DOTNET_EnableAVX512F", "0")];
var isas = Avx512F.IsSupported
    ? new[] { brief.WithId("AVX-512"), brief.WithEnvironmentVariables([.. withoutAvx512, new("OPENBLAS_CORETYPE", "Haswell")]).WithId("AVX2") }
    : new[] { brief.WithId(Avx2.IsSupported ? "AVX2" : "SSE") };
// The steps against the peers likewise, with libtorch held to AVX2 too (its own kernels, MKL's and oneDNN's).
var peerIsas = Avx512F.IsSupported
    ? new[] { steady.WithId("AVX-512"), steady.WithEnvironmentVariables([.. withoutAvx512, new("ATEN_CPU_CAPABILITY", "avx2"), new("MKL_ENABLE_INSTRUCTIONS", "AVX2"), new("ONEDNN_MAX_CPU_ISA", "AVX2")]).WithId("AVX2") }
    : new[] { steady.WithId(isas[0].Id) };
Summary Run<TSuite>(params Job[] jobs) => BenchmarkRunner.Run<TSuite>(jobs.Aggregate(DefaultConfig.Instance.AddColumn(StatisticColumn.Min), (config, job) => config.AddJob(job)));
var generated = Run<GeneratedVersusHandWritten>(steady);
var cheap = Run<GradientVersusForward>(steady);
var square = Run<MatrixProduct>(isas);
var shapes = Run<ProductShapes>(isas);
var fused = Run<FusedSoftmaxCrossEntropy>(brief);
var peers = Run<PeerSteps>(peerIsas);
var generator = Run<GeneratorSpeed>(steady);
var pytorch = quick ? null : PyTorch.Run();
var peak = Peak.FloatGflops();
var summaries = new[] { generated, cheap, square, shapes, fused, peers, generator };

// Every figure derived here is the fastest of a benchmark's iterations, each the mean time of the calls in a window
// of half a second or more. This machine is shared, and its slowdowns only add: on the 2-core Zen 4 VM whole stretches
// of seconds ran 1.3–2 times slower for GradGen and TorchSharp alike (the batch-256 double step 175 µs in one process,
// 310–330 in the next; TorchSharp's float step 290 and 500–540), so the median of 60 iterations in three processes
// fell on either level by chance (GradGen's AVX2 double step: 0.812 of TorchSharp's in one run, its fast level 0.44).
// The fastest window is each library's speed on the cores it asks for, the estimator of Chen and Revels (2016, "Robust
// benchmarking in noisy environments") that Julia's BenchmarkTools uses; a burst of another program cannot lower it.
// It needs one fast stretch among a benchmark's three processes: a slow level that lasts their whole minute stays.
double Fastest(Summary summary, string method, string? parameter, string? value, string? job = null) => summary.Reports.FirstOrDefault(r =>
    r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && (parameter is null || r.BenchmarkCase.Parameters[parameter].ToString() == value)
    && (job is null || r.BenchmarkCase.Job.Id == job))?.ResultStatistics?.Min ?? double.NaN;
var report = new StringBuilder();
var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':')[1].Trim() : null;
report.AppendLine("# Benchmarks").AppendLine()
    .AppendLine("Written by `dotnet run -c Release --project benchmarks/GradGen.Benchmarks` from one run; every figure outside BenchmarkDotNet's own tables is the fastest of a benchmark's iterations (each the mean of the calls in a window of half a second or more: on this shared machine slowdowns only add, and the median fell on a slow stretch or a fast one by chance), and every ratio is against a baseline measured in the same run.")
    .AppendLine(Invariant($"Host: {cpu ?? "an unnamed processor"}, {Environment.ProcessorCount} logical cores, {(Avx512F.IsSupported ? "AVX-512 (x86-64-v4)" : Avx2.IsSupported ? "AVX2 (x86-64-v3)" : "no AVX2")}; OpenBLAS {Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE")} kernels (Debian's libopenblas0-pthread 0.3.21, told its kernels: it takes this virtual processor for a Prescott otherwise)."))
    .AppendLine(Invariant($"Multiply-add peak of its {Environment.ProcessorCount} cores in float, measured after the suites (`Peak.cs`): {peak:F0} GFLOP/s; no product runs faster."))
    .AppendLine(Avx512F.IsSupported ? "Steps and products are measured twice: `AVX-512` as this machine runs them, `AVX2` as a machine without AVX-512 runs them (`DOTNET_EnableAVX512=0`; OpenBLAS's Haswell kernels; libtorch with `ATEN_CPU_CAPABILITY=avx2`, `MKL_ENABLE_INSTRUCTIONS=AVX2`, `ONEDNN_MAX_CPU_ISA=AVX2`)." : "")
    .AppendLine();

// Issue 14's steps against the peers.
report.AppendLine("## One SGD step against the peers (fastest iteration; TorchSharp in the same run, PyTorch in another process)").AppendLine()
    .AppendLine("| step | instruction set | GradGen | TorchSharp 0.107 (libtorch 2.10) | GradGen / TorchSharp | PyTorch " + (pytorch?.Version ?? "") + " | GradGen allocated per step |")
    .AppendLine("|---|---|---|---|---|---|---|");
foreach (var step in PeerSteps.Steps)
{
    foreach (var isa in peerIsas)
    {
        var (ours, theirs) = (Fastest(peers, "GradGen", "Step", step, isa.Id), Fastest(peers, "TorchSharp", "Step", step, isa.Id));
        // PyTorch runs in its own process, as this machine runs it.
        var python = isa != peerIsas[0] ? "" : pytorch?.Steps.GetValueOrDefault(step) is { } p ? Invariant($"{Time(p.Microseconds * 1e3)} ({p.Threads} thread{(p.Threads > 1 ? "s" : "")})") : "not measured";
        report.AppendLine(Invariant($"| {step} | {isa.Id} | {Time(ours)} | {Time(theirs)} | {ours / theirs:F3} | {python} | {Bytes(peers, "GradGen", "Step", step, isa.Id)} |"));
    }
}
report.AppendLine();

report.AppendLine("## Matrix products at the steps' shapes (GFLOP/s = 2mnk / time)").AppendLine()
    .AppendLine("| product | instruction set | GradGen double | OpenBLAS double | ratio | GradGen float | OpenBLAS float | ratio |")
    .AppendLine("|---|---|---|---|---|---|---|---|");
foreach (var (name, (m, n, k, _, _)) in ProductShapes.All)
{
    foreach (var isa in isas)
    {
        double Gflops(string method) => 2.0 * m * n * k / Fastest(shapes, method, "Shape", name, isa.Id);
        var (gd, od, gf, of) = (Gflops("GradGenDouble"), Gflops("OpenBlasDouble"), Gflops("GradGenFloat"), Gflops("OpenBlasFloat"));
        report.AppendLine(Invariant($"| {name} | {isa.Id} | {gd:F1} | {od:F1} | {gd / od:P0} | {gf:F1} | {of:F1} | {gf / of:P0} |"));
    }
}
report.AppendLine();

report.AppendLine("## Square matrix products (GFLOP/s = 2n³ / time)").AppendLine()
    .AppendLine("| n | instruction set | GradGen double | OpenBLAS double | ratio | GradGen float | OpenBLAS float | ratio |")
    .AppendLine("|---|---|---|---|---|---|---|---|");
foreach (var n in new[] { 256, 1024 })
{
    foreach (var isa in isas)
    {
        double Gflops(string method) => 2.0 * n * n * n / Fastest(square, method, "N", n.ToString(CultureInfo.InvariantCulture), isa.Id);
        var (gd, od, gf, of) = (Gflops("GradGenDouble"), Gflops("OpenBlasDouble"), Gflops("GradGenFloat"), Gflops("OpenBlasFloat"));
        report.AppendLine(Invariant($"| {n} | {isa.Id} | {gd:F1} | {od:F1} | {gd / od:P0} | {gf:F1} | {of:F1} | {gf / of:P0} |"));
    }
}
report.AppendLine();

report.AppendLine("## Targets (issue 14)").AppendLine()
    .AppendLine("Where the time of the missed ones goes, measured: [docs/performance.md](docs/performance.md#where-the-time-goes).").AppendLine()
    .AppendLine("| target | measured | met |").AppendLine("|---|---|---|");
void Target(string target, string measured, bool met) => report.AppendLine($"| {target} | {measured} | {(met ? "yes" : "no")} |");
foreach (var isa in peerIsas)
{
    foreach (var (step, limit) in new[] { (PeerSteps.Steps[0], 0.01), (PeerSteps.Steps[1], 0.5), (PeerSteps.Steps[2], 0.5), (PeerSteps.Steps[3], 0.8) })
    {
        var (ours, theirs) = (Fastest(peers, "GradGen", "Step", step, isa.Id), Fastest(peers, "TorchSharp", "Step", step, isa.Id));
        // At 1024, the five 1024³ products of the step (two forward, three backward) alone at the machine's peak (measured
        // with its widest vectors), in ns.
        var atPeak = 5 * 2 * Math.Pow(1024, 3) / peak;
        var bound = step == PeerSteps.Steps[3] && isa == peerIsas[0] ? Invariant($"; its five 1024³ products alone take {atPeak / 1e6:F1} ms at the peak, {atPeak / theirs:F2} of TorchSharp's step") : "";
        Target(Invariant($"GradGen / TorchSharp ≤ {limit} at {step}, {isa.Id}"), Invariant($"{ours / theirs:F3}{bound}"), ours / theirs <= limit);
    }
}
foreach (var isa in isas)
{
    foreach (var type in new[] { "Double", "Float" })
    {
        var worst = ProductShapes.All.Keys.Select(name => (name, share: Fastest(shapes, "OpenBlas" + type, "Shape", name, isa.Id) / Fastest(shapes, "GradGen" + type, "Shape", name, isa.Id)))
            .Append(("1024³ square", Fastest(square, "OpenBlas" + type, "N", "1024", isa.Id) / Fastest(square, "GradGen" + type, "N", "1024", isa.Id))).MinBy(s => s.Item2);
        Target($"matrix product ≥ 90 % of OpenBLAS at every step shape and at 1024, {type.ToLowerInvariant()}, {isa.Id}", Invariant($"worst {worst.Item2:P0} ({worst.Item1})"), worst.Item2 >= 0.9);
    }
}
// The products of a step alone, in OpenBLAS: the floor a step whose time goes to its products approaches.
foreach (var isa in peerIsas)
{
    foreach (var (step, prefix, type) in new[] { (PeerSteps.Steps[1], "256: ", "Double"), (PeerSteps.Steps[2], "256: ", "Float"), (PeerSteps.Steps[3], "1024: ", "Float") })
    {
        // At 1024 the forward's two products have one shape (x·W1, h·W2), and so have two of the backward's (hᵀ·dz2, xᵀ·dz1).
        var products = ProductShapes.All.Keys.Where(name => name.StartsWith(prefix)).Sum(name => Fastest(shapes, "OpenBlas" + type, "Shape", name, isa.Id) * (name is "1024: x·W1 1024³" or "1024: hᵀ·dz2 1024³" ? 2 : 1));
        var ratio = Fastest(peers, "GradGen", "Step", step, isa.Id) / products;
        Target($"step ≤ 1.3 × OpenBLAS's time for its products alone, {step}, {isa.Id}", Invariant($"{ratio:F2}"), ratio <= 1.3);
    }
}
foreach (var isa in peerIsas)
{
    foreach (var step in PeerSteps.Steps)
    {
        var bytes = Bytes(peers, "GradGen", "Step", step, isa.Id);
        Target($"0 bytes allocated per steady-state step, {step}, {isa.Id}", bytes, bytes == "0 B");
    }
}
foreach (var size in new[] { "4x2-3-2", "256x64-128-10", "1024x1024-1024-1024" })
{
    var ratio = Fastest(generated, "Generated", "Size", size) / Fastest(generated, "HandWritten", "Size", size);
    Target($"generated / hand-written time ≤ 1.02 at {size}", Invariant($"{ratio:F2}"), ratio <= 1.02);
}
var afterEdit = Fastest(generator, "AfterOneEdit", null, null) / 1e6;
var floor = Fastest(generator, "FinderAfterOneEdit", null, null) / 1e6;
Target($"generator after a one-method edit, {GeneratorSpeed.Methods} methods ≤ 20 ms", Invariant($"{afterEdit:F1} ms (a generator that only finds the methods: {floor:F1} ms)"), afterEdit <= 20);
var cold = Fastest(generator, "Cold", null, null) / 1e6 / GeneratorSpeed.Methods;
Target("generator cold ≤ 3 ms per method (files parsed and bound included)", Invariant($"{cold:F2} ms"), cold <= 3);
var sourceBytes = GeneratorSpeed.BytesPerMethod();
Target("generated source ≤ 2 KB per scalar method (UTF-8)", Invariant($"{sourceBytes / 1024:F2} KB"), sourceBytes <= 2048);
var forwardShare = Fastest(cheap, "ForwardAndBackward", "Size", "256x64-128-10") / Fastest(cheap, "Forward", "Size", "256x64-128-10");
Target("forward + backward ≤ 3.2 × forward at 256x64-128-10 (issue 4)", Invariant($"{forwardShare:F2}"), forwardShare <= 3.2);
report.AppendLine();

foreach (var summary in summaries)
{
    var logger = new AccumulationLogger();
    MarkdownExporter.GitHub.ExportToLog(summary, logger);
    report.AppendLine("## " + summary.BenchmarksCases.First().Descriptor.Type.Name).AppendLine().AppendLine(logger.GetLog()).AppendLine();
}

var path = Path.Combine(RepositoryRoot(), "BENCHMARKS.md");
File.WriteAllText(path, report.ToString());
Console.WriteLine("Wrote " + path);
return 0;

static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

static string Time(double nanoseconds) => nanoseconds switch
{
    double.NaN => "–",
    < 1e3 => Invariant($"{nanoseconds:F0} ns"),
    < 1e6 => Invariant($"{nanoseconds / 1e3:F1} µs"),
    _ => Invariant($"{nanoseconds / 1e6:F1} ms"),
};

static string Bytes(Summary summary, string method, string parameter, string value, string job) =>
    summary.Reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && r.BenchmarkCase.Parameters[parameter].ToString() == value && r.BenchmarkCase.Job.Id == job) is { } report
        && report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) is { } bytes ? Invariant($"{bytes} B") : "–";

static string RepositoryRoot([CallerFilePath] string program = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(program)!, "..", ".."));
