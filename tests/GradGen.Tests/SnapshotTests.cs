using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// The generator's output for the very files under Functions/ whose gradients the other tests check,
/// reviewed as snapshots: every change to the emitted code shows up as a diff of a *.verified.cs file.
/// </summary>
public class SnapshotTests
{
    /// <summary>The files whose generated code is snapshotted: tests/…/Functions/*.cs and the samples' [Differentiable] files.</summary>
    public static TheoryData<string> SourceFiles => new(Sources().Keys.Order());

    [Theory]
    [MemberData(nameof(SourceFiles))]
    public void Generated_source(string file)
    {
        var generated = GeneratedFrom(file, GeneratorHarness.RunAndCompile(Group(file)).Results.Single().GeneratedSources);
        Assert.NotEmpty(generated);
        foreach (var source in generated)
        {
            Snapshot.Verify(SnapshotName(file, source.HintName), source.SourceText.ToString());
        }
    }

    [Fact]
    public void Every_snapshot_belongs_to_a_generated_file()
    {
        var expected = Sources().Keys
            .SelectMany(file => GeneratedFrom(file, GeneratorHarness.Run(Group(file)).Result.Results.Single().GeneratedSources)
                .Select(s => SnapshotName(file, s.HintName) + ".verified.cs"));
        var existing = Directory.GetFiles(Snapshot.Directory(), "*.verified.cs").Select(Path.GetFileName);

        Assert.Empty(existing.Except(expected));
    }

    /// <summary>
    /// The file and the files it may call into: the other files of Functions/, or the other files of its sample
    /// (without Program.cs), compiled together as the project would compile them.
    /// </summary>
    private static string[] Group(string file)
    {
        var path = Sources()[file];
        var companions = file.StartsWith("samples/", StringComparison.Ordinal)
            ? Directory.GetFiles(Path.GetDirectoryName(path)!, "*.cs").Where(p => Path.GetFileName(p) != "Program.cs")
            : Directory.GetFiles(Path.GetDirectoryName(path)!, "*.cs");
        return companions.Where(p => p != path).Prepend(path).Select(File.ReadAllText).ToArray();
    }

    /// <summary>The generated files for the methods of the types this file declares (hint names start with the type's full name).</summary>
    private static IEnumerable<Microsoft.CodeAnalysis.GeneratedSourceResult> GeneratedFrom(string file, IEnumerable<Microsoft.CodeAnalysis.GeneratedSourceResult> generated)
    {
        var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(File.ReadAllText(Sources()[file])).GetRoot();
        var types = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>()
            .Where(t => t.Parent is not Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax)
            .Select(t => (t.Ancestors().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax>().FirstOrDefault()?.Name + "." + t.Identifier.ValueText).TrimStart('.'))
            .ToList();
        return generated.Where(s => types.Any(t => s.HintName.StartsWith(t + ".", StringComparison.Ordinal) || s.HintName.StartsWith(t + "-", StringComparison.Ordinal)));
    }

    /// <summary>"ScalarFunctions#….g" for Functions/ScalarFunctions.cs, "samples.Xor.XorNetwork#….g" for samples/Xor/XorNetwork.cs.</summary>
    private static string SnapshotName(string file, string hintName) =>
        Path.ChangeExtension(file, null).Replace('/', '.') + "#" + hintName.Replace(".cs", "");

    /// <summary>Display name (the path under Functions/, or under the repository for samples) → full path.</summary>
    private static Dictionary<string, string> Sources([CallerFilePath] string thisFile = "")
    {
        var tests = Path.GetDirectoryName(thisFile)!;
        var samples = Path.GetFullPath(Path.Combine(tests, "..", "..", "samples"));
        return Directory.GetFiles(Path.Combine(tests, "Functions"), "*.cs").ToDictionary(path => Path.GetFileName(path))
            .Concat(Directory.GetFiles(samples, "*.cs", SearchOption.AllDirectories)
                .Where(path => !path.Contains("/obj/") && !path.Contains("/bin/") && File.ReadAllText(path).Contains("[Differentiable"))
                .ToDictionary(path => "samples/" + Path.GetRelativePath(samples, path).Replace('\\', '/')))
            .ToDictionary(p => p.Key, p => p.Value);
    }
}
