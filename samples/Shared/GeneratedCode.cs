using System;
using System.IO;
using System.Runtime.CompilerServices;

/// <summary>Prints the code GradGen generated for a sample (each sample's project writes it under obj/generated).</summary>
public static class GeneratedCode
{
    /// <param name="hintName">The generated file, e.g. <c>Spiral.SpiralNetwork.Loss.g.cs</c>.</param>
    /// <param name="program">Filled in by the compiler: the calling Program.cs, whose folder is the sample's project.</param>
    public static void Print(string hintName, [CallerFilePath] string program = "")
    {
        var file = Path.Combine(Path.GetDirectoryName(program)!, "obj", "generated", "GradGen.Generator", "GradGen.Generator.GradientGenerator", hintName);
        Console.WriteLine("// " + file);
        Console.WriteLine(File.ReadAllText(file));
    }
}
