using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace GradGen.Tests.Properties;

/// <summary>
/// Whole files under mutation (GeneratorFuzzTests mutates single methods in a static class; this covers types: models,
/// their layers and members, calls between them): the test functions, the
/// model types and the samples, each cut off at a random point, a token deleted, duplicated or swapped for another
/// the file uses. Whatever the code, the generator never throws (no CS8785), never reports an internal error (GG0901),
/// and what it generates for code without errors compiles.
/// </summary>
public class FileFuzzTests
{
    public static TheoryData<string> Corpus => new(Files().Select(f => Path.GetRelativePath(Root(), f)));

    [Theory]
    [Trait("Lane", "Slow")]
    [MemberData(nameof(Corpus))]
    public void Mutated_code_never_crashes_the_generator(string file)
    {
        var source = File.ReadAllText(Path.Combine(Root(), file));
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        var identifiers = tokens.Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.Text).Distinct().ToList();
        // The same trials on every run (string.GetHashCode is randomized per process).
        var random = new Random(file.Sum(c => c));
        // The file's companions (the other test functions, the sample's other files) unmutated, so that calls resolve.
        var companions = Directory.GetFiles(Path.GetDirectoryName(Path.Combine(Root(), file))!, "*.cs")
            .Where(f => Path.GetFileName(f) != Path.GetFileName(file) && Path.GetFileName(f) != "Program.cs").Select(File.ReadAllText).ToArray();
        for (var trial = 0; trial < 32; trial++)
        {
            var token = tokens[random.Next(tokens.Count)];
            var mutated = (trial % 4) switch
            {
                0 => source[..token.Span.End],                                                                   // half-typed: cut off
                1 => source.Remove(token.SpanStart, token.Span.Length),                                         // a token deleted
                2 => source.Insert(token.SpanStart, token.Text + " "),                                          // a token typed twice
                _ => source.Remove(token.SpanStart, token.Span.Length).Insert(token.SpanStart, identifiers[random.Next(identifiers.Count)]), // another name
            };
            Check([mutated, .. companions], $"{file}, trial {trial}: {Describe(source, token, trial % 4)}");
        }
    }

    private static void Check(string[] sources, string what)
    {
        var (driver, output) = (GeneratorHarness.Driver(), GeneratorHarness.Compilation(sources));
        var result = driver.RunGeneratorsAndUpdateCompilation(output, out var compiled, out _).GetRunResult();
        var run = result.Results.Single();
        Assert.True(run.Exception is null, $"{what}: the generator threw {run.Exception}");
        Assert.DoesNotContain(result.Diagnostics, d => d.Id == "GG0901");
        // Code the compiler accepts gets generated code the compiler accepts.
        if (!output.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error) && !result.Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            var errors = compiled.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            Assert.True(errors.Count == 0, $"{what}: the generated code does not compile:\n{string.Join("\n", errors.Take(5))}");
        }
    }

    private static string Describe(string source, SyntaxToken token, int kind) =>
        $"{(kind switch { 0 => "cut after", 1 => "deleted", 2 => "doubled", _ => "replaced" })} '{token.Text}' at {token.SpanStart} (line {source[..token.SpanStart].Count(c => c == '\n') + 1})";

    private static IEnumerable<string> Files() =>
        Directory.GetFiles(Path.Combine(Root(), "tests", "GradGen.Tests", "Functions"), "*.cs")
            .Concat(new[] { "Spiral/SpiralModel.cs", "DeepRegression/RegressionModel.cs", "Xor/XorModel.cs", "Newton/Problems.cs" }.Select(f => Path.Combine(Root(), "samples", f)))
            .Order(StringComparer.Ordinal);

    private static string Root([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", "..", ".."));
}
