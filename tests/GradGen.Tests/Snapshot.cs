using System.Runtime.CompilerServices;
using System.Text;
using DiffPlex.DiffBuilder;
using DiffPlex.DiffBuilder.Model;

namespace GradGen.Tests;

/// <summary>
/// Snapshot testing with Verify's conventions (Verify is not available here): the expected text lives in
/// <c>Snapshots/Name.verified.cs</c>; on a mismatch the actual text is written beside it as
/// <c>Name.received.cs</c> and the test fails with a diff. A missing snapshot fails too. To accept,
/// rerun with <c>GRADGEN_ACCEPT_SNAPSHOTS=1</c>, then review the diff in source control.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "GRADGEN_ACCEPT_SNAPSHOTS";

    public static string Directory([CallerFilePath] string thisFile = "") => Path.Combine(Path.GetDirectoryName(thisFile)!, "Snapshots");

    public static void Verify(string name, string actual)
    {
        actual = actual.Replace("\r\n", "\n");
        var verified = Path.Combine(Directory(), name + ".verified.cs");
        var received = Path.Combine(Directory(), name + ".received.cs");
        var expected = File.Exists(verified) ? File.ReadAllText(verified).Replace("\r\n", "\n") : null;
        if (expected == actual)
        {
            File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            System.IO.Directory.CreateDirectory(Directory());
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        System.IO.Directory.CreateDirectory(Directory());
        File.WriteAllText(received, actual);
        Assert.Fail(expected is null
            ? $"No snapshot {verified}. The generated text is in {received}; review it and accept with {AcceptVariable}=1."
            : $"Snapshot {name} changed ({received}); accept with {AcceptVariable}=1 if intended:\n{Diff(expected, actual)}");
    }

    private static string Diff(string expected, string actual)
    {
        var text = new StringBuilder();
        foreach (var line in InlineDiffBuilder.Diff(expected, actual).Lines.Where(l => l.Type != ChangeType.Unchanged).Take(60))
        {
            text.Append(line.Type == ChangeType.Inserted ? "+ " : "- ").AppendLine(line.Text);
        }
        return text.ToString();
    }
}
