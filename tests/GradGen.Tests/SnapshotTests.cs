using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// The generator's output for the very files under Functions/ whose gradients the other tests check,
/// reviewed as snapshots: every change to the emitted code shows up as a diff of a *.verified.cs file.
/// </summary>
public class SnapshotTests
{
    public static TheoryData<string> FunctionFiles => new(Directory.GetFiles(FunctionsDirectory(), "*.cs").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(FunctionFiles))]
    public void Generated_source(string file)
    {
        var result = GeneratorHarness.RunAndCompile(File.ReadAllText(Path.Combine(FunctionsDirectory(), file)));

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
        var expected = Directory.GetFiles(FunctionsDirectory(), "*.cs").Select(Path.GetFileName)
            .SelectMany(file => GeneratorHarness.Run(File.ReadAllText(Path.Combine(FunctionsDirectory(), file!))).Result
                .Results.Single().GeneratedSources.Select(s => SnapshotName(file!, s.HintName) + ".verified.cs"));
        var existing = Directory.GetFiles(Snapshot.Directory(), "*.verified.cs").Select(Path.GetFileName);

        Assert.Empty(existing.Except(expected));
    }

    private static string SnapshotName(string file, string hintName) => Path.GetFileNameWithoutExtension(file) + "#" + hintName.Replace(".cs", "");

    private static string FunctionsDirectory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Functions");
}
