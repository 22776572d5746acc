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

    private static (GeneratorDriver Driver, Compilation Compilation) RunOnce(params string[] sources)
    {
        var compilation = GeneratorHarness.Compilation(sources);
        var driver = GeneratorHarness.Driver().RunGenerators(compilation);
        Assert.Single(driver.GetRunResult().GeneratedTrees);
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
