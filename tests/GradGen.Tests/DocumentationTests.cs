using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Tests;

/// <summary>
/// The guide's examples (docs/*.md and the README): every ```csharp block compiles through the generator without a
/// diagnostic; a block with top-level statements is run, and the ```text block after it is its exact output. A doc
/// that no longer compiles, or no longer prints what it says, fails the suite.
/// </summary>
public class DocumentationTests
{
    public static TheoryData<string, int> Examples
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var page in Pages())
            {
                for (var i = 0; i < Blocks(page).Count; i++) data.Add(page, i);
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_compiles_and_prints_what_the_page_says(string page, int index)
    {
        var (code, expected) = Blocks(page)[index];
        var program = CSharpSyntaxTree.ParseText(code).GetCompilationUnitRoot().Members.Any(m => m is GlobalStatementSyntax);
        var compilation = GeneratorHarness.Compilation(code).WithOptions(new CSharpCompilationOptions(
            program ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        GeneratorHarness.Driver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        Assert.Empty(diagnostics);
        using var image = new MemoryStream();
        var emitted = output.Emit(image);
        Assert.True(emitted.Success, $"{page}, example {index + 1}:\n" + string.Join("\n", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        if (!program) return;

        var assembly = new System.Runtime.Loader.AssemblyLoadContext(page + index, isCollectible: true).LoadFromStream(new MemoryStream(image.ToArray()));
        var printed = new StringWriter();
        var console = Console.Out;
        Console.SetOut(printed);
        try
        {
            var entry = assembly.EntryPoint!;
            entry.Invoke(null, entry.GetParameters().Length == 0 ? [] : [Array.Empty<string>()]);
        }
        finally
        {
            Console.SetOut(console);
        }
        if (expected is not null) Assert.Equal(expected.Trim(), printed.ToString().Trim().ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Every_page_has_examples_and_every_program_shows_its_output()
    {
        foreach (var page in Pages().Where(p => p.StartsWith("docs/", StringComparison.Ordinal) && p is not ("docs/README.md" or "docs/constructs.md" or "docs/performance.md")))
        {
            Assert.True(Blocks(page).Count > 0, $"{page} has no compiled example");
        }
    }

    /// <summary>The guide's pages and the README, as paths from the repository root.</summary>
    private static IEnumerable<string> Pages() =>
        Directory.GetFiles(Path.Combine(RepositoryRoot(), "docs"), "*.md").Select(p => "docs/" + Path.GetFileName(p)).Append("README.md").Order();

    /// <summary>Each ```csharp block of the page and the ```text block right after it, if any.</summary>
    private static List<(string Code, string? Output)> Blocks(string page)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot(), page)).ReplaceLineEndings("\n");
        return Regex.Matches(text, "```csharp\n(.*?)```\n(?:\n```text\n(.*?)```)?", RegexOptions.Singleline)
            .Select(m => (m.Groups[1].Value, m.Groups[2].Success ? m.Groups[2].Value : null)).ToList();
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
