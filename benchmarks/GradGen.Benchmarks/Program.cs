// Runs every benchmark suite and rewrites BENCHMARKS.md at the repository's root with the machine's description, BenchmarkDotNet's
// tables (each ratio against a baseline measured in the same run) and the figures derived from them.
// `dotnet run -c Release --project benchmarks/GradGen.Benchmarks` (about 20 minutes); `-- --quick` for a one-iteration dry run.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using GradGen.Benchmarks;

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
// The network steps are short and their ratios are what the targets judge: more iterations than ShortRun's three.
var steady = quick ? Job.Dry.WithId("Dry") : Job.Default.WithLaunchCount(1).WithWarmupCount(5).WithIterationCount(20).WithId("Steady");
var brief = quick ? Job.Dry.WithId("Dry") : Job.ShortRun.WithId("ShortRun");
var suites = new[] { (typeof(GeneratedVersusHandWritten), steady), (typeof(GradientVersusForward), steady), (typeof(MatrixProduct), brief), (typeof(FusedSoftmaxCrossEntropy), brief) };
var summaries = suites.Select(suite => BenchmarkRunner.Run(suite.Item1, DefaultConfig.Instance.AddJob(suite.Item2))).ToList();

var report = new StringBuilder();
report.AppendLine("# Benchmarks").AppendLine()
    .AppendLine("Written by `dotnet run -c Release --project benchmarks/GradGen.Benchmarks` from one run; every ratio is against a baseline measured in the same run.")
    .AppendLine("The design brief measured ≈ 78 GFLOP/s (double) and ≈ 157 (float) as this kind of machine's two-core peak; the OpenBLAS column is what Debian's libopenblas0-pthread reaches on the host of this run (the CPU is named in each table's header), so it is a peak only where it passes those figures.")
    .AppendLine();
report.AppendLine("## Matrix product throughput (GFLOP/s = 2n³ / time)").AppendLine()
    .AppendLine("| n | GradGen double | OpenBLAS double | ratio | GradGen float | OpenBLAS float | ratio |")
    .AppendLine("|---|---|---|---|---|---|---|");
var products = summaries[2].Reports.Where(r => r.ResultStatistics is not null).ToList();
foreach (var n in products.Select(r => (int)r.BenchmarkCase.Parameters["N"]).Distinct().Order())
{
    double Gflops(string method) => products.Where(r => (int)r.BenchmarkCase.Parameters["N"] == n && r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
        .Select(r => 2.0 * n * n * n / r.ResultStatistics!.Mean).FirstOrDefault();
    var (gd, od, gf, of) = (Gflops("GradGenDouble"), Gflops("OpenBlasDouble"), Gflops("GradGenFloat"), Gflops("OpenBlasFloat"));
    report.AppendLine(Invariant($"| {n} | {gd:F1} | {od:F1} | {gd / od:P0} | {gf:F1} | {of:F1} | {gf / of:P0} |"));
}
report.AppendLine();

// Issue 4's targets, from the reports above.
BenchmarkReport Report(Summary summary, string method, string parameter, string value) => summary.Reports.First(r =>
    r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method && r.BenchmarkCase.Parameters[parameter].ToString() == value);
double Mean(Summary summary, string method, string parameter, string value) => Report(summary, method, parameter, value).ResultStatistics?.Mean ?? double.NaN;
report.AppendLine("## Targets").AppendLine().AppendLine("| target | measured | met |").AppendLine("|---|---|---|");
void Target(string target, double measured, string format, bool met) => report.AppendLine($"| {target} | {measured.ToString(format, CultureInfo.InvariantCulture)} | {(met ? "yes" : "no")} |");
foreach (var size in new[] { "4x2-3-2", "256x64-128-10", "1024x1024-1024-1024" })
{
    var ratio = Mean(summaries[0], "Generated", "Size", size) / Mean(summaries[0], "HandWritten", "Size", size);
    Target($"generated / hand-written time ≤ 1.05 at {size}", ratio, "F2", ratio <= 1.05);
}
var cheap = Mean(summaries[1], "ForwardAndBackward", "Size", "256x64-128-10") / Mean(summaries[1], "Forward", "Size", "256x64-128-10");
Target("forward + backward ≤ 3.2 × forward at 256x64-128-10", cheap, "F2", cheap <= 3.2);
foreach (var type in new[] { "Double", "Float" })
{
    var share = Mean(summaries[2], "OpenBlas" + type, "N", "1024") / Mean(summaries[2], "GradGen" + type, "N", "1024");
    Target($"matrix product ≥ 70 % of OpenBLAS at 1024, {type.ToLowerInvariant()}", share, "P0", share >= 0.7);
}
foreach (var size in new[] { "4x2-3-2", "256x64-128-10" })
{
    var step = Report(summaries[0], "Generated", "Size", size);
    var bytes = (double)(step.GcStats.GetBytesAllocatedPerOperation(step.BenchmarkCase) ?? -1);
    Target($"0 bytes allocated per steady-state training step (generated, {size})", bytes, "N0", bytes == 0);
}
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

static string RepositoryRoot([CallerFilePath] string program = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(program)!, "..", ".."));
