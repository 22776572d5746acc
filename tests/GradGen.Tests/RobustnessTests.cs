using Microsoft.CodeAnalysis;
using System.Threading;

namespace GradGen.Tests;

/// <summary>
/// What the generator does with code at its edges: it never crashes the compiler (no CS8785, no stack overflow), never
/// ignores a [Differentiable] silently, and never adds errors to code that already has some.
/// </summary>
public class RobustnessTests
{
    [Fact]
    public void Hint_names_are_legal_and_unique_for_generic_types_and_overloads_over_matrices()
    {
        var result = GeneratorHarness.RunAndCompile("""
            using GradGen;
            namespace N;
            public static partial class C
            {
                [Differentiable] public static double F(Matrix<double> m) => Matrix.Sum(m);
                [Differentiable] public static double F(Matrix<double>[] ms) => Matrix.Sum(ms[0]);
                [Differentiable] public static double F(Matrix<float> m, double x) => Matrix.Sum(m) * x;
            }
            public static partial class C<T>
            {
                [Differentiable] public static double F(double x) => x * x;
            }
            public static partial class O
            {
                public static partial class I { [Differentiable] public static double F(double x) => x * x; }
            }
            public static partial class O<T>
            {
                public static partial class I { [Differentiable] public static double F(double x) => x * x; }
            }
            """);
        var names = result.Results.Single().GeneratedSources.Select(s => s.HintName).OrderBy(n => n, StringComparer.Ordinal).ToList();
        Assert.Equal(
            ["N.C-1.F.g.cs", "N.C.F-Matrix-double-Array.g.cs", "N.C.F-Matrix-double.g.cs", "N.C.F-Matrix-float_double.g.cs", "N.O-1.I.F.g.cs", "N.O.I.F.g.cs"],
            names);
    }

    [Fact]
    public void A_method_outside_a_type_gets_no_output_and_no_crash()
    {
        var (result, _) = GeneratorHarness.Run("""
            using GradGen;
            public static partial class C
            {
                [Differentiable] public static double F(double x) => x * x;
            }
            }
            [Differentiable] public static double G(double x) => x * x;
            """);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8785" or "GG0901");
        Assert.Single(result.GeneratedTrees);
    }

    [Fact]
    public void A_static_class_as_a_parameter_type_is_no_model_and_gets_no_output()
    {
        // The compiler reports the parameter (CS0721); a Gradient type in a static class would add errors of its own.
        var (result, _) = GeneratorHarness.Run("using GradGen;\npublic static partial class C\n{\n    [Differentiable] public static double F(C model, double x) => x * x;\n}\n");
        Assert.Equal("GG0003", Assert.Single(result.Diagnostics).Id);
        Assert.Empty(result.GeneratedTrees);
    }

    [Theory]
    [InlineData("public static double F(double x) => x * ;")]
    [InlineData("public static double F(double x) { var y = x * 2 return y; }")]
    [InlineData("public static double F(double x) { return x * Undefined(x); }")]
    [InlineData("public static double F(double x) { if (x > 0) return x; }")]
    [InlineData("public double F(Matrix<double> a, [NoDerivative] Matrix<double> w) => Matrix.Mean(w * a * a);")] // an instance method in a static class (found by the fuzzer)
    public void A_method_with_compiler_errors_gets_no_output_and_no_GG_diagnostic(string method)
    {
        var (result, _) = GeneratorHarness.Run("using GradGen;\npublic static partial class C\n{\n    [Differentiable] " + method + "\n}\n");
        Assert.True(result.Diagnostics.IsEmpty, string.Join("\n", result.Diagnostics));
        Assert.Empty(result.GeneratedTrees);
    }

    [Fact]
    public void A_throw_guard_throws_as_the_method_does_and_the_gradient_is_that_of_the_other_side()
    {
        var type = ScalarPrograms.Compile("""
            [Differentiable] public static double F(double x, double y)
            {
                if (y == 0) throw new ArgumentException("y must not be zero", nameof(y));
                var q = x / y;
                return q > 0 ? Math.Log(q) : throw new ArgumentOutOfRangeException(nameof(x), "x/y must be positive");
            }
            """);
        ScalarPrograms.Check(type, "F", [1.5, 0.5]);
        ScalarPrograms.Check(type, "F", [-1.5, -0.25]);
        var withGradient = type.GetMethod("FWithGradient")!;
        var zero = Assert.Throws<System.Reflection.TargetInvocationException>(() => withGradient.Invoke(null, [1.0, 0.0, null]));
        Assert.IsType<ArgumentException>(zero.InnerException);
        var negative = Assert.Throws<System.Reflection.TargetInvocationException>(() => withGradient.Invoke(null, [-1.0, 2.0, null]));
        Assert.IsType<ArgumentOutOfRangeException>(negative.InnerException);
    }

    /// <summary>
    /// The generator on a thread with an IDE-sized stack (1.5 MB): an input as deep as the nesting limit is read, a flat sum
    /// of any length too; one beyond the limit is refused with GG0107 before anything binds it. Never a crash.
    /// </summary>
    [Theory]
    [InlineData("Parentheses", 190, true)]
    [InlineData("Parentheses", 3000, false)]
    [InlineData("FlatSum", 5000, true)]
    [InlineData("NestedCalls", 190, true)]
    [InlineData("NestedCalls", 3000, false)]
    [InlineData("NestedConditionals", 190, true)]
    [InlineData("NestedConditionals", 400, false)]
    [InlineData("RightNestedSum", 95, true)]
    [InlineData("RightNestedSum", 3000, false)]
    [InlineData("NestedIfs", 95, true)]
    [InlineData("NestedIfs", 1000, false)]
    public void Deep_methods_never_overflow_the_stack(string shape, int depth, bool read)
    {
        var body = shape switch
        {
            "Parentheses" => "=> " + new string('(', depth) + "x" + new string(')', depth) + ";",
            "FlatSum" => "=> " + string.Join(" + ", Enumerable.Repeat("x", depth)) + ";",
            "NestedCalls" => "=> " + string.Concat(Enumerable.Repeat("Math.Sin(", depth)) + "x" + new string(')', depth) + ";",
            "NestedConditionals" => "=> " + string.Concat(Enumerable.Range(0, depth).Select(i => $"x > {i} ? x * {i} : ")) + "x;",
            "RightNestedSum" => "=> " + string.Concat(Enumerable.Repeat("x + (", depth)) + "x" + new string(')', depth) + ";",
            _ => "{ var y = x; " + string.Concat(Enumerable.Range(0, depth).Select(i => $"if (x > {i}) {{ y = y * x; ")) + new string('}', depth) + " return y; }",
        };
        var source = "using System;\nusing GradGen;\npublic static partial class C\n{\n    [Differentiable] public static double F(double x) " + body + "\n}\n";
        // Parsed here (the C# parser is not the generator's to guard); the generator runs, and binds, on the small stack.
        var compilation = GeneratorHarness.Compilation(source);
        var parserError = compilation.SyntaxTrees.Single().GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error);
        GeneratorDriverRunResult? result = null;
        var thread = new Thread(() => result = GeneratorHarness.Driver().RunGenerators(compilation).GetRunResult(), 1536 * 1024);
        thread.Start();
        thread.Join();
        Assert.NotNull(result);
        Assert.DoesNotContain(result.Diagnostics, d => d.Id is "CS8785" or "GG0901");
        if (read)
        {
            Assert.Empty(result.Diagnostics);
            var generated = result.GeneratedTrees.Single().Length;
            Assert.True(generated < 2000 * depth, $"{generated} characters for depth {depth}: the output grows faster than the input");
        }
        else
        {
            // Refused by GradGen, or already by the C# parser (whose own limit is an error of the compiler's).
            Assert.Empty(result.GeneratedTrees);
            if (!parserError) Assert.Equal("GG0107", Assert.Single(result.Diagnostics).Id);
        }
    }
}
