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
        var result = GeneratorHarness.RunAndCompile(File.ReadAllText(Sources()[file]));

        var generated = result.Results.Single().GeneratedSources;
        Assert.NotEmpty(generated);
        foreach (var source in generated)
        {
            Snapshot.Verify(SnapshotName(file, source.HintName), source.SourceText.ToString());
        }
    }

    [Fact]
    public void Every_snapshot_belongs_to_a_generated_file()
    {
        var expected = Sources()
            .SelectMany(file => GeneratorHarness.Run(File.ReadAllText(file.Value)).Result
                .Results.Single().GeneratedSources.Select(s => SnapshotName(file.Key, s.HintName) + ".verified.cs"));
        var existing = Directory.GetFiles(Snapshot.Directory(), "*.verified.cs").Select(Path.GetFileName);

        Assert.Empty(existing.Except(expected));
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
                .Where(path => !path.Contains("/obj/") && !path.Contains("/bin/") && File.ReadAllText(path).Contains("[Differentiable]"))
                .ToDictionary(path => "samples/" + Path.GetRelativePath(samples, path).Replace('\\', '/')))
            .ToDictionary(p => p.Key, p => p.Value);
    }
}
