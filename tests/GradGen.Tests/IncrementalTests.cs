using System.Collections;
using System.Reflection;
using GradGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GradGen.Tests;

/// <summary>The generator's caching: unrelated edits and comment edits do no work downstream of parsing.</summary>
public class IncrementalTests
{
    private const string Functions = """
        using System;
        using GradGen;

        namespace Demo;

        public static partial class Functions
        {
            [Differentiable]
            public static double Loss(double w, [NoDerivative] double x)
            {
                // the prediction
                double z = w * x;
                return Math.Log(1 + Math.Exp(-z));
            }
        }
        """;

    private const string Other = "namespace Demo; public static class Other { public static int Value => 1; }";

    private const string Models = """
        using GradGen;

        namespace Demo;

        public partial class Layer
        {
            public Matrix<double> W = null!;
            [Differentiable] public Matrix<double> Forward(Matrix<double> x) => Matrix.MatMul(x, W);
        }

        public partial class Net
        {
            public Layer Hidden = null!;
            public double Scale;
            [Differentiable] public double Loss([NoDerivative] Matrix<double> x) => Scale * Matrix.Sum(Hidden.Forward(x));
            [Differentiable] public double Penalty() => Scale * Scale;
        }
        """;

    [Fact]
    public void Model_types_are_emitted_once_and_an_unrelated_edit_keeps_them_cached()
    {
        // Layer.Forward, Net.Loss, Net.Penalty, and the two gradient types: Layer's once, although two methods read it.
        var (driver, compilation) = RunOnce(5, Models, Other);
        Assert.Equal(2, driver.GetRunResult().GeneratedTrees.Count(t => t.FilePath.EndsWith(".Gradient-type.g.cs", StringComparison.Ordinal)));

        var result = driver.RunGenerators(ReplaceTree(compilation, 1, Other.Replace("=> 1", "=> 2"))).GetRunResult().Results.Single();

        Assert.All(result.TrackedSteps[GradientGenerator.Steps.ModelTypes].SelectMany(step => step.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, output.Reason.ToString()));
        var outputs = result.TrackedSteps[GradientGenerator.Steps.ModelTypes].SelectMany(step => step.Outputs).Select(output => output.Value).ToList();
        Assert.Equal(2, outputs.Count);
        foreach (var output in outputs) AssertNoRoslynObjects(output, new HashSet<object>(ReferenceEqualityComparer.Instance), "model type");
    }

    [Fact]
    public void An_unrelated_edit_keeps_every_step_after_parsing_cached()
    {
        var (driver, compilation) = RunOnce(Functions, Other);

        var edited = ReplaceTree(compilation, 1, Other.Replace("=> 1", "=> 2"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        // Any edit changes the compilation, so Roslyn re-runs the semantic transform (Parse); its result
        // compares equal, and everything after it is served from the cache.
        AssertAllOutputs(result, GradientGenerator.Steps.Parse, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, GradientGenerator.Steps.Model, IncrementalStepRunReason.Cached);
        AssertAllOutputs(result, GradientGenerator.Steps.Diagnostics, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void A_comment_edit_leaves_the_model_unchanged()
    {
        var (driver, compilation) = RunOnce(Functions, Other);

        var edited = ReplaceTree(compilation, 0, Functions.Replace("// the prediction", "// the linear part of the prediction, w times x"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, GradientGenerator.Steps.Parse, IncrementalStepRunReason.Unchanged);
        AssertAllOutputs(result, GradientGenerator.Steps.Model, IncrementalStepRunReason.Cached);
    }

    [Fact]
    public void Editing_the_method_regenerates_it()
    {
        var (driver, compilation) = RunOnce(Functions, Other);

        var edited = ReplaceTree(compilation, 0, Functions.Replace("Math.Exp(-z)", "Math.Exp(z)"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        AssertAllOutputs(result, GradientGenerator.Steps.Model, IncrementalStepRunReason.Modified);
    }

    private const string Callee = """
        using GradGen;
        namespace Demo;
        public static partial class Helpers
        {
            [Differentiable]
            public static double Scale(double a, double b) => a * b;
        }
        """;

    private const string Caller = """
        using GradGen;
        namespace Demo;
        public static partial class Losses
        {
            [Differentiable]
            public static double Loss(double w, double x) => Helpers.Scale(w, x) + w;
        }
        """;

    [Fact]
    public void Editing_a_callees_signature_regenerates_its_callers()
    {
        var (driver, compilation) = RunOnce(2, Callee, Caller);

        // With b [NoDerivative], Scale's pullback loses its ref for b: the caller must stop passing one.
        var edited = ReplaceTree(compilation, 0, Callee.Replace("double b", "[NoDerivative] double b"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, ModelReason(result, "Scale"));
        Assert.Equal(IncrementalStepRunReason.Modified, ModelReason(result, "Loss"));
        var (_, output) = GeneratorHarness.Run(Callee.Replace("double b", "[NoDerivative] double b"), Caller);
        Assert.Empty(output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }

    [Fact]
    public void Editing_a_callees_body_regenerates_only_the_callee()
    {
        var (driver, compilation) = RunOnce(2, Callee, Caller);

        // The caller calls Scale's pullback by name; its own code does not depend on Scale's body.
        var edited = ReplaceTree(compilation, 0, Callee.Replace("a * b", "a * b * b"));
        var result = driver.RunGenerators(edited).GetRunResult().Results.Single();

        Assert.Equal(IncrementalStepRunReason.Modified, ModelReason(result, "Scale"));
        Assert.Equal(IncrementalStepRunReason.Unchanged, ModelReason(result, "Loss"));
    }

    [Fact]
    public void An_edit_inside_one_method_parses_again_that_method_alone()
    {
        const string first = "using System; using GradGen; namespace Demo; public static partial class A { [Differentiable] public static double F(double x) => Math.Exp(x) * 2; [Differentiable] public static double G(double x) => x * x; }";
        const string second = "using GradGen; namespace Demo; public static partial class B { [Differentiable] public static double H(double x) => x * 3; }";
        var (driver, compilation) = RunOnce(3, first, second);

        var before = ParseCache.ParsesOnThisThread;
        var result = driver.RunGenerators(ReplaceTree(compilation, 0, first.Replace("* 2", "* 5"))).GetRunResult();

        Assert.Equal(1, ParseCache.ParsesOnThisThread - before);
        Assert.Contains("5.0", result.GeneratedTrees.Single(t => t.FilePath.EndsWith("A.F.g.cs", StringComparison.Ordinal)).ToString());
    }

    [Fact]
    public void An_edit_of_a_preprocessor_symbol_parses_the_methods_it_changes_again()
    {
        const string source = "#define TRIPLE\nusing GradGen; namespace Demo; public static partial class A { [Differentiable] public static double F(double x)\n{\n#if TRIPLE\n    return x * 3;\n#else\n    return x * 7;\n#endif\n} }";
        var (driver, compilation) = RunOnce(source);

        var result = driver.RunGenerators(ReplaceTree(compilation, 0, source.Replace("#define TRIPLE", "#define OTHER"))).GetRunResult();

        Assert.Contains("7.0", result.GeneratedTrees.Single().ToString());
    }

    [Fact]
    public void An_edit_of_a_body_read_in_place_in_another_file_changes_the_callers_backward()
    {
        const string net = """
            using GradGen;
            namespace Demo;
            public partial class Net
            {
                public Layer Hidden = null!;
                [Differentiable] public double Loss([NoDerivative] Matrix<double> x) => Matrix.Sum(Hidden.Forward(x));
            }
            """;
        const string layer = """
            using GradGen;
            namespace Demo;
            public partial class Layer
            {
                public Matrix<double> W = null!;
                [Differentiable] public Matrix<double> Forward(Matrix<double> x) => Matrix.MatMul(x, W);
            }
            """;
        var (driver, compilation) = RunOnce(4, net, layer);
        Assert.DoesNotContain("Relu", Loss(driver.GetRunResult()));

        var result = driver.RunGenerators(ReplaceTree(compilation, 1, layer.Replace("=> Matrix.MatMul(x, W)", "=> Matrix.Relu(Matrix.MatMul(x, W))"))).GetRunResult();

        Assert.Contains("Relu", Loss(result));
        static string Loss(GeneratorDriverRunResult run) => run.GeneratedTrees.Single(t => t.FilePath.EndsWith("Net.Loss.g.cs", StringComparison.Ordinal)).ToString();
    }

    [Fact]
    public void An_edit_of_a_declaration_in_another_file_parses_the_method_again()
    {
        const string caller = "using GradGen; namespace Demo; public static partial class A { [Differentiable] public static double F(double x) => Helper.Twice(x); }";
        const string helper = "using GradGen; namespace Demo; public static partial class Helper { [Differentiable] public static double Twice(double x) => 2 * x; }";
        var (driver, compilation) = RunOnce(2, caller, helper);

        var result = driver.RunGenerators(ReplaceTree(compilation, 1, helper.Replace("[Differentiable] ", ""))).GetRunResult();

        Assert.Empty(driver.GetRunResult().Diagnostics);
        Assert.Contains(result.Diagnostics, d => d.Id == "GG0103" && d.Location.GetLineSpan().Path == compilation.SyntaxTrees.First().FilePath);
    }

    [Fact]
    public void A_diagnostic_in_another_file_moves_with_an_edit_of_that_file()
    {
        const string net = "using GradGen; namespace Demo; public partial class Net { public Layer L = null!; [Differentiable] public double Loss([NoDerivative] Matrix<double> x) => Matrix.Sum(L.Forward(x)); }";
        const string layer = """
            using GradGen;
            namespace Demo;
            public partial class Layer
            {
                private Matrix<double> _w = null!;
                public int Helper() { return 1; }
                public Matrix<double> W => _w;
                [Differentiable] public Matrix<double> Forward(Matrix<double> x) => Matrix.MatMul(x, W);
            }
            """;
        var compilation = GeneratorHarness.Compilation(net, layer);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Equal(6, Line(driver.GetRunResult()));

        var result = driver.RunGenerators(ReplaceTree(compilation, 1, layer.Replace("{ return 1; }", "{\n\n    return 1;\n}"))).GetRunResult();

        Assert.Equal(9, Line(result));
        static int Line(GeneratorDriverRunResult run) => run.Diagnostics.Single(d => d.Id == "GG0010").Location.GetLineSpan().StartLinePosition.Line;
    }

    private static IncrementalStepRunReason ModelReason(GeneratorRunResult result, string method) =>
        result.TrackedSteps[GradientGenerator.Steps.Parse].SelectMany(s => s.Outputs)
            .Single(o => ((GradGen.Generator.Model.ParseResult)o.Value).Model?.Name == method).Reason;

    [Fact]
    public void The_pipeline_models_hold_no_Roslyn_objects()
    {
        var (driver, _) = RunOnce(Functions, Other);
        var steps = driver.GetRunResult().Results.Single().TrackedSteps;

        var outputs = steps[GradientGenerator.Steps.Parse].Concat(steps[GradientGenerator.Steps.Model])
            .SelectMany(step => step.Outputs).Select(output => output.Value).ToList();
        Assert.NotEmpty(outputs);
        foreach (var output in outputs) AssertNoRoslynObjects(output, new HashSet<object>(ReferenceEqualityComparer.Instance), "model");
    }

    [Fact]
    public void A_kept_parse_keeps_no_reference_of_its_compilation_alive()
    {
        // In an IDE, the parse cache outlives compilations; after a package update, the old references (their metadata)
        // must be free to go.
        var reference = RunWithAReferenceOfItsOwn();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(reference.TryGetTarget(out _), "the compilation is gone, and its reference is still alive");
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void The_methods_kept_by_their_tokens_are_bounded()
    {
        // In an IDE, renamed, moved and deleted methods leave entries behind: the table is emptied rather than growing.
        var methods = string.Concat(Enumerable.Range(0, ParseCache.KeptMethods + 10).Select(i => $"[Differentiable] public static double F{i}(double x) => x * x;"));
        var compilation = GeneratorHarness.Compilation("using GradGen; namespace Many; public static partial class Bound { " + methods + " }");
        var result = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult();

        Assert.Equal(ParseCache.KeptMethods + 10, result.GeneratedTrees.Length);
        Assert.InRange(ParseCache.MethodsKept, 0, ParseCache.KeptMethods); // 0 while another test's run has just emptied it
    }

    /// <summary>Runs the generator over a compilation with a reference object of its own, and lets everything but that go.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference<MetadataReference> RunWithAReferenceOfItsOwn()
    {
        var own = MetadataReference.CreateFromImage(File.ReadAllBytes(typeof(IncrementalTests).Assembly.Location));
        var compilation = GeneratorHarness.Compilation(Functions.Replace("Functions", "KeptFunctions")).AddReferences(own);
        Assert.Single(GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult().GeneratedTrees);
        return new WeakReference<MetadataReference>(own);
    }

    private static (GeneratorDriver Driver, Compilation Compilation) RunOnce(params string[] sources) => RunOnce(1, sources);

    private static (GeneratorDriver Driver, Compilation Compilation) RunOnce(int generated, params string[] sources)
    {
        var compilation = GeneratorHarness.Compilation(sources);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Equal(generated, driver.GetRunResult().GeneratedTrees.Length);
        return (driver, compilation);
    }

    private static Compilation ReplaceTree(Compilation compilation, int index, string text)
    {
        var old = compilation.SyntaxTrees.ElementAt(index);
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)old.Options, old.FilePath));
    }

    private static void AssertAllOutputs(GeneratorRunResult result, string step, IncrementalStepRunReason reason)
    {
        var outputs = result.TrackedSteps[step].SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, output => Assert.Equal(reason, output.Reason));
    }

    /// <summary>Walks an object graph through its fields and fails on any symbol, syntax node, location, compilation or semantic model.</summary>
    private static void AssertNoRoslynObjects(object? value, HashSet<object> seen, string path)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value)) return;
        Assert.False(value is ISymbol or SyntaxNode or Location or Compilation or SemanticModel or SyntaxTree,
            $"{path} holds a {value.GetType().Name}.");
        if (value is IEnumerable items)
        {
            var i = 0;
            foreach (var item in items) AssertNoRoslynObjects(item, seen, $"{path}[{i++}]");
        }
        for (var type = value.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                AssertNoRoslynObjects(field.GetValue(value), seen, path + "." + field.Name);
            }
        }
    }
}
