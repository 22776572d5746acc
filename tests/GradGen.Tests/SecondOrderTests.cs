using System.Reflection;
using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// Forward mode and second order of the scalar, branch, loop and Math test functions: each file compiled again with
/// <c>[Differentiable(Hessian = true)]</c> (which brings <c>FPushforward</c> too), each method over numbers and arrays
/// checked at a point by <see cref="SecondOrderChecks.AssertModes"/>.
/// </summary>
public class SecondOrderTests
{
    /// <summary>
    /// The oracle of the Hessian checks leaves out points where the value jumps within its differences' steps (a branch
    /// that holds only within 1e-8 of the point); smooth functions, steep ones included, are still compared.
    /// </summary>
    [Fact]
    public void The_Hessian_oracle_leaves_out_only_points_where_the_value_jumps()
    {
        double Branchy(double[] x) => Math.Pow(1.2, Math.Tanh((int)(Math.Cos(x[0]) * 2.0) % 3)) * Math.Cos(x[0]);
        Assert.True(SecondOrderChecks.ValueJumps(Branchy, [1e-73], [0.7]));
        Assert.False(SecondOrderChecks.ValueJumps(Branchy, [0.5], [0.7]));
        Assert.False(SecondOrderChecks.ValueJumps(x => Math.Exp(30 * x[0]) + x[1] * x[1], [0.2, -3], [0.9, 0.4]));
    }

    public static TheoryData<string, string> Methods
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var file in Files)
            {
                foreach (var method in Compiled(file).GetMethods(BindingFlags.Public | BindingFlags.Static).Where(IsCovered))
                {
                    data.Add(file, method.Name);
                }
            }
            return data;
        }
    }

    private static readonly string[] Files = ["ScalarFunctions", "BranchFunctions", "LoopFunctions", "MathFunctions"];

    [Theory]
    [MemberData(nameof(Methods))]
    public void Every_mode_agrees_with_the_gradient(string file, string method)
    {
        var type = Compiled(file);
        var parameters = type.GetMethod(method)!.GetParameters();
        // The Math functions at the points of their domains MathRuleTests uses; the others at one point inside theirs.
        var points = file == "MathFunctions"
            ? MathRuleTests.Points[method].Select(point => point.Select((v, i) => Convert.ChangeType(v, parameters[i].ParameterType, System.Globalization.CultureInfo.InvariantCulture)).ToArray())
            : [parameters.Select((p, i) => Argument(p, i)).ToArray()];
        foreach (var arguments in points) SecondOrderChecks.AssertModes(new FlatMethod(type, method, arguments), $"{file}.{method} at [{string.Join(", ", arguments)}]: ");
    }

    /// <summary>A point of every function's domain away from its kinks: positive numbers between 0.3 and 0.9, loops of 3.</summary>
    private static object Argument(ParameterInfo parameter, int index) => parameter.ParameterType switch
    {
        var t when t == typeof(int) => 3,
        var t when t == typeof(double[]) => new[] { 0.35, 0.8, 0.55 },
        _ => 0.3 + 0.17 * ((index * 7) % 4),
    };

    /// <summary>The methods with second order over doubles, ints and arrays of doubles (the float and matrix ones are tested elsewhere).</summary>
    private static bool IsCovered(MethodInfo method) =>
        method.IsDefined(typeof(DifferentiableAttribute)) && method.DeclaringType!.GetMethod(method.Name + "HessianVectorProduct") is not null && method.ReturnType == typeof(double)
        && method.GetParameters().All(p => p.ParameterType == typeof(double) || p.ParameterType == typeof(int) || p.ParameterType == typeof(double[]));

    private static readonly Dictionary<string, Type> s_compiled = [];

    private static Type Compiled(string file)
    {
        lock (s_compiled)
        {
            if (s_compiled.TryGetValue(file, out var type)) return type;
            var directory = Path.Combine(SourceDirectory(), "Functions");
            var others = Directory.GetFiles(directory, "*.cs").Where(f => Path.GetFileNameWithoutExtension(f) != file).Select(File.ReadAllText).ToArray();
            var lines = File.ReadAllLines(Path.Combine(directory, file + ".cs"));
            // Every method gets every mode, but those second order does not cover (matrices, calls of reverse-only methods).
            string Source(HashSet<string> excluded) => string.Join("\n", lines.Select((line, i) =>
                line.Contains("[Differentiable]") && !excluded.Any(name => NextSignature(lines, i).Contains($" {name}(")) ? line.Replace("[Differentiable]", "[Differentiable(Hessian = true)]") : line));
            var (result, _) = GeneratorHarness.Run([Source([]), .. others]);
            var uncovered = result.Diagnostics.Where(d => d.Id is "GG0108" or "GG0109").Select(d => d.GetMessage().Split('\'')[1]).ToHashSet();
            return s_compiled[file] = GeneratorHarness.Load([Source(uncovered), .. others]).GetType("GradGen.Tests.Functions." + file)!;
        }
    }

    /// <summary>The attribute's line and the method declaration after it.</summary>
    private static string NextSignature(string[] lines, int i) => string.Join(" ", lines.Skip(i).Take(3));

    private static string SourceDirectory([CallerFilePath] string thisFile = "") => Path.GetDirectoryName(thisFile)!;
}
