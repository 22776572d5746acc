using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using GradGen.Generator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Benchmarks;

/// <summary>
/// The generator through Roslyn's in-process driver, as an IDE runs it, on a project of 200 scalar
/// <c>[Differentiable]</c> methods: the test corpus's scalar methods (tests/GradGen.Tests/Functions: ScalarFunctions,
/// MathFunctions), copied into classes of ten until there are 200. The baseline is the compiler binding the same
/// project (its own semantic work on every method body), so the ratios say what the generator adds to a build.
/// </summary>
[MemoryDiagnoser]
public class GeneratorSpeed
{
    public const int Methods = 200;

    private CSharpCompilation _project = null!, _current = null!;
    private GeneratorDriver _warm = null!, _finder = null!;
    private int _at;
    private bool _flip;

    [GlobalSetup]
    public void Setup()
    {
        _project = Project();
        if (_project.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } error) throw new InvalidOperationException("The corpus does not compile: " + error);
        _at = _project.SyntaxTrees.First().ToString().IndexOf("1 + ", StringComparison.Ordinal);
        _current = _project;
        _warm = Driver().RunGenerators(_current);
        _finder = CSharpGeneratorDriver.Create(new Finder()).RunGenerators(_current);
    }

    /// <summary>The compiler alone: the project's files parsed and every method body bound.</summary>
    [Benchmark(Baseline = true)]
    public int CompilerBinding() => Project().GetDiagnostics().Length;

    /// <summary>A first run: the files parsed, then every method read, differentiated, simplified and emitted.</summary>
    [Benchmark]
    public int Cold() => Driver().RunGenerators(Project()).GetRunResult().GeneratedTrees.Length;

    /// <summary>
    /// A run after one method's body changed, on the driver that ran before it: a keystroke in an IDE, which makes the
    /// edited file a new syntax tree (reparsed incrementally, included), its constant switching between 1 and 2.
    /// </summary>
    [Benchmark]
    public int AfterOneEdit() => (_warm = Edit(_warm)).GetRunResult().GeneratedTrees.Length;

    /// <summary>
    /// The same edits through a generator that only finds the methods, as GradGen does (ForAttributeWithMetadataName, the
    /// method's symbol and attributes) and does nothing with them: the floor Roslyn's driver sets for any such generator.
    /// </summary>
    [Benchmark]
    public int FinderAfterOneEdit() => (_finder = Edit(_finder)).GetRunResult().GeneratedTrees.Length;

    /// <summary>The edit, its constant switching between 1 and 2, then <paramref name="driver"/> run on the new project.</summary>
    private GeneratorDriver Edit(GeneratorDriver driver)
    {
        _flip = !_flip;
        var tree = _current.SyntaxTrees.First();
        _current = _current.ReplaceSyntaxTree(tree, tree.WithChangedText(tree.GetText().Replace(_at, 1, _flip ? "2" : "1")));
        return driver.RunGenerators(_current);
    }

    private sealed class Finder : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var methods = context.SyntaxProvider.ForAttributeWithMetadataName("GradGen.DifferentiableAttribute", (_, _) => true, (method, _) => method.TargetSymbol.Name + method.Attributes.Length);
            context.RegisterSourceOutput(methods, (_, _) => { });
        }
    }

    /// <summary>The generated source's size: bytes (UTF-8, as the generator writes it) per method, over the whole project.</summary>
    public static double BytesPerMethod()
    {
        var result = Driver().RunGenerators(Project()).GetRunResult();
        if (!result.Diagnostics.IsEmpty) throw new InvalidOperationException("The corpus does not generate cleanly: " + result.Diagnostics[0]);
        return result.GeneratedTrees.Sum(t => System.Text.Encoding.UTF8.GetByteCount(t.ToString())) / (double)Methods;
    }

    private static GeneratorDriver Driver() => CSharpGeneratorDriver.Create(new GradientGenerator());

    /// <summary>The corpus, parsed anew (new syntax trees: nothing is kept from an earlier run).</summary>
    private static CSharpCompilation Project() => CSharpCompilation.Create(
        "Corpus",
        s_files.Value.Select((text, i) => CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.Latest), path: $"Corpus{i}.cs")),
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    /// <summary>The corpus's files: 20 of 10 methods each, in classes Corpus0…Corpus19.</summary>
    private static readonly Lazy<string[]> s_files = new(() => CorpusFiles());

    private static string[] CorpusFiles([CallerFilePath] string here = "")
    {
        var functions = Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "tests", "GradGen.Tests", "Functions");
        var methods = new[] { "ScalarFunctions.cs", "MathFunctions.cs" }
            .SelectMany(file => CSharpSyntaxTree.ParseText(File.ReadAllText(Path.Combine(functions, file))).GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            .Where(IsScalar)
            .ToList();
        return Enumerable.Range(0, Methods / 10).Select(file =>
        {
            var members = Enumerable.Range(file * 10, 10).Select(i => methods[i % methods.Count].WithIdentifier(SyntaxFactory.Identifier($"{methods[i % methods.Count].Identifier.Text}{i}")).ToFullString());
            return $"using System;\nusing GradGen;\nnamespace Corpus;\npublic static partial class Corpus{file}\n{{\nprivate const double Half = 0.5;\n{string.Join("\n", members)}\n}}\n";
        }).ToArray();
    }

    /// <summary>A [Differentiable] method over numbers only (plain parameters), calling only Math's functions.</summary>
    private static bool IsScalar(MethodDeclarationSyntax method) =>
        method.AttributeLists.SelectMany(list => list.Attributes).Any(a => a.Name.ToString() == "Differentiable")
        && method.ParameterList.Parameters.All(p => p.Modifiers.Count == 0 && (p.Type?.ToString() is "double" or "float" || p.AttributeLists.Count > 0 && p.Type?.ToString() is "int"))
        && method.ReturnType.ToString() is "double" or "float"
        && method.DescendantNodes().OfType<InvocationExpressionSyntax>().All(call => call.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.Text: "Math" or "MathF" or "double" or "float" } });

    private static readonly ImmutableArray<MetadataReference> References =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(path) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(DifferentiableAttribute).Assembly.Location)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToImmutableArray();
}
