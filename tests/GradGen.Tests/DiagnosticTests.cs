using Microsoft.CodeAnalysis;

namespace GradGen.Tests;

/// <summary>One test per diagnostic ID: the ID, the severity and the exact span, marked [|like this|] in the source.</summary>
public class DiagnosticTests
{
    [Fact]
    public void GG0001_containing_type_not_partial() => Expect("GG0001", """
        public static class [|Functions|]
        {
            [GradGen.Differentiable] public static double F(double x) => x;
        }
        """);

    [Fact]
    public void GG0001_outer_type_not_partial() => Expect("GG0001", """
        public class [|Outer|]
        {
            public static partial class Inner
            {
                [GradGen.Differentiable] public static double F(double x) => x;
            }
        }
        """);

    [Fact]
    public void GG0002_instance_method_of_a_generic_type() => Expect("GG0002", """
        public partial class Functions<T>
        {
            [GradGen.Differentiable] public double [|F|](double x) => x;
        }
        """);

    [Fact]
    public void GG0002_instance_method_of_an_interface() => Expect("GG0002", """
        public partial interface IFunctions
        {
            [GradGen.Differentiable] public double [|F|](double x) => x;
        }
        """);

    [Fact]
    public void GG0010_a_member_of_an_unsupported_type() => Expect("GG0010", """
        public partial class Model
        {
            public GradGen.Matrix<double> W = null!;
            public string [|Name|] = "";
            [GradGen.Differentiable] public double Loss(double x) => x * GradGen.Matrix.Sum(W);
        }
        """);

    [Fact]
    public void GG0010_a_computed_property() => Expect("GG0010", """
        public partial class Model
        {
            public GradGen.Matrix<double> W = null!;
            public GradGen.Matrix<double> [|Twice|] => W * 2.0;
            [GradGen.Differentiable] public double Loss(double x) => x * GradGen.Matrix.Sum(W);
        }
        """);

    [Fact]
    public void GG0010_a_readonly_number() => Expect("GG0010", """
        public partial class Model
        {
            public readonly double [|Scale|] = 1;
            [GradGen.Differentiable] public double Loss(double x) => Scale * x;
        }
        """);

    [Fact]
    public void GG0010_a_number_in_a_struct_model() => Expect("GG0010", """
        public partial struct Model
        {
            public double [|Scale|];
            [GradGen.Differentiable] public double Loss(double x) => Scale * x;
        }
        """);

    [Fact]
    public void GG0010_a_layer_type_that_is_not_partial() => Expect("GG0010", """
        public sealed class Layer { public GradGen.Matrix<double> W = null!; }
        public partial class Model
        {
            public Layer [|Hidden|] = null!;
            public double Scale;
            [GradGen.Differentiable] public double Loss(double x) => Scale * x;
        }
        """);

    [Fact]
    public void GG0010_a_layer_from_another_project()
    {
        var (_, library) = GeneratorHarness.Run("""
            public partial class Dense
            {
                public GradGen.Matrix<double> W = null!;
                [GradGen.Differentiable] public GradGen.Matrix<double> Forward(GradGen.Matrix<double> x) => GradGen.Matrix.MatMul(x, W);
            }
            """);
        using var image = new MemoryStream();
        Assert.True(library.WithAssemblyName("Layers").Emit(image).Success);
        const string source = """
            public partial class Model
            {
                public Dense Hidden = null!;
                public double Scale;
                [GradGen.Differentiable] public double Loss(double x) => Scale * x;
            }
            """;
        var consumer = GeneratorHarness.Compilation(source).AddReferences(MetadataReference.CreateFromImage(image.ToArray()));
        var diagnostic = Assert.Single(GeneratorHarness.Driver().RunGenerators(consumer).GetRunResult().Diagnostics);
        Assert.Equal("GG0010", diagnostic.Id);
        Assert.Equal("Hidden", source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        Assert.Contains("a model of another project", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void GG0010_mixed_number_types() => Expect("GG0010", """
        public partial class Model
        {
            public double A;
            public float [|B|];
            [GradGen.Differentiable] public double Loss(double x) => A * x;
        }
        """);

    [Fact]
    public void GG0010_a_member_named_Gradient() => Expect("GG0010", """
        public partial class Model
        {
            public double A;
            [GradGen.NoDerivative] public int [|Gradient|];
            [GradGen.Differentiable] public double Loss(double x) => A * x;
        }
        """);

    [Fact]
    public void GG0010_is_reported_once_however_many_methods_read_the_model() => Expect("GG0010", """
        public partial class Model
        {
            public double A;
            public System.Random [|Random|] = new();
            [GradGen.Differentiable] public double Loss(double x) => A * x;
            [GradGen.Differentiable] public double Other(double x) => A * x * x;
        }
        """);

    [Fact]
    public void GG0003_a_model_parameter_whose_type_is_not_partial() => Expect("GG0003", """
        public sealed class Model { public GradGen.Matrix<double> W = null!; }
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F([|Model model|], double x) => x;
        }
        """);

    [Fact]
    public void GG0011_forward_mode_on_a_static_method_taking_a_model() => Expect("GG0011", """
        public partial class Model { public double A; }
        public static partial class Functions
        {
            [[|GradGen.Differentiable(Hessian = true)|]] public static double F(Model model, double x) => model.A * x;
        }
        """);

    [Fact]
    public void GG0011_forward_mode_on_a_models_method() => Expect("GG0011", """
        public partial class Model
        {
            public double A;
            [[|GradGen.Differentiable(Pushforward = true)|]] public double Loss(double x) => A * x;
        }
        """);

    [Fact]
    public void GG0003_unsupported_parameter_type() => Expect("GG0003", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x, [|string n|]) => x * n.Length;
        }
        """);

    [Fact]
    public void GG0003_ref_parameter() => Expect("GG0003", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F([|ref double x|]) => x;
        }
        """);

    [Fact]
    public void GG0004_unsupported_return_type() => Expect("GG0004", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static [|decimal|] F(double x) => (decimal)x;
        }
        """);

    [Fact]
    public void GG0005_method_without_body() => Expect("GG0005", """
        public abstract partial class Functions
        {
            [GradGen.Differentiable] public static extern double [|F|](double x);
        }
        """);

    [Fact]
    public void GG0006_generic_method() => Expect("GG0006", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F[|<T>|](double x) => x;
        }
        """);

    [Fact]
    public void GG0101_unsupported_statement() => Expect("GG0101", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x)
            {
                [|do { x = x / 2; } while (x > 1);|]
                return x;
            }
        }
        """);

    [Fact]
    public void GG0101_foreach() => Expect("GG0101", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double[] xs)
            {
                var s = 0.0;
                [|foreach (var x in xs) s += x;|]
                return s;
            }
        }
        """);

    [Fact]
    public void GG0101_return_inside_a_loop() => Expect("GG0101", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x)
            {
                for (var i = 0; i < 3; i++)
                {
                    [|if (x > 10) return x;|]
                    x = x * x;
                }
                return x;
            }
        }
        """);

    [Fact]
    public void GG0101_break() => Expect("GG0101", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x)
            {
                while (x > 1)
                {
                    x = x / 2;
                    [|break;|]
                }
                return x;
            }
        }
        """);

    [Fact]
    public void GG0101_counter_assigned_in_the_loop() => Expect("GG0101", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x)
            {
                for (var i = 0; i < 3; i++)
                {
                    x = x * x;
                    [|i = i + 1|];
                }
                return x;
            }
        }
        """);

    [Fact]
    public void GG0101_for_loop_of_another_shape() => Expect("GG0101", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x)
            {
                [|for (var i = 0; i < 8; i *= 2) x = x * x;|]
                return x;
            }
        }
        """);

    [Fact]
    public void GG0102_unsupported_condition() => Expect("GG0102", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x) => [|double.IsNaN(x)|] ? 0 : 2 * x;
        }
        """);

    [Fact]
    public void GG0102_unsupported_operator() => Expect("GG0102", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x, double y) => x * ([|(int)y << 2|]);
        }
        """);

    [Fact]
    public void GG0102_field_read() => Expect("GG0102", """
        public static partial class Functions
        {
            private static double s_scale = 2;
            [GradGen.Differentiable] public static double F(double x) => x * [|s_scale|];
        }
        """);

    [Fact]
    public void GG0102_increment() => Expect("GG0102", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x)
            {
                double y = x;
                y = [|y++|];
                return y;
            }
        }
        """);

    [Fact]
    public void GG0103_call_without_derivative_rule() => Expect("GG0103", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double F(double x) => 1 + [|System.Math.BitIncrement(x)|];
        }
        """);

    [Fact]
    public void GG0103_call_of_a_user_method() => Expect("GG0103", """
        public static partial class Functions
        {
            private static double Square(double x) => x * x;
            [GradGen.Differentiable] public static double F(double x) => [|Square(x)|];
        }
        """);

    [Fact]
    public void GG0106_custom_pullback_without_ref_adjoint() => Expect("GG0106", """
        using GradGen;
        public static partial class Functions
        {
            [CustomPullback(nameof(CubePullback))] public static double Cube(double x) => x * x * x;
            public static double CubePullback(double x, double dL_dresult, double dL_dx) => x * x * x;
            [Differentiable] public static double F(double x) => 1 + [|Cube(x)|];
        }
        """);

    [Fact]
    public void GG0106_custom_pullback_missing() => Expect("GG0106", """
        using GradGen;
        public static partial class Functions
        {
            [CustomPullback("CubeBackward")] public static double Cube(double x) => x * x * x;
            [Differentiable] public static double F(double x) => [|Cube(x)|];
        }
        """);

    [Fact]
    public void GG0104_matrix_helper_without_rule() => Expect("GG0104", """
        using GradGen;
        public static partial class Functions
        {
            [Differentiable] public static double F(Matrix<double> a) => Matrix.Sum([|Matrix.ClipProbability(a)|]);
        }
        """);

    [Fact]
    public void GG0104_matmul_with_transpose_flags() => Expect("GG0104", """
        using GradGen;
        public static partial class Functions
        {
            [Differentiable] public static double F(Matrix<double> w, [NoDerivative] Matrix<double> x) => Matrix.Sum([|Matrix.MatMul(x, w, transposeB: true)|]);
        }
        """);

    [Fact]
    public void GG0105_matrix_element_read() => Expect("GG0105", """
        using GradGen;
        public static partial class Functions
        {
            [Differentiable] public static double F(Matrix<double> w, [NoDerivative] Matrix<double> x) => 2 * [|Matrix.MatMul(x, w)[0, 0]|];
        }
        """);

    [Fact]
    public void GG0105_matrix_member() => Expect("GG0105", """
        using GradGen;
        public static partial class Functions
        {
            [Differentiable] public static double F(Matrix<double> a) => Matrix.Sum([|a.Clone()|]);
        }
        """);

    [Fact]
    public void GG0105_matrix_created_inside() => Expect("GG0105", """
        using GradGen;
        public static partial class Functions
        {
            [Differentiable] public static double F(Matrix<double> a) => Matrix.Sum(a * [|Matrix<double>.Filled(2, 2, 3.0)|]);
        }
        """);

    [Fact]
    public void GG0201_every_parameter_is_data() => Expect("GG0201", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double [|F|]([GradGen.NoDerivative] double x) => x;
        }
        """, DiagnosticSeverity.Warning);

    [Fact]
    public void Every_descriptor_is_tested_documented_and_linked()
    {
        var tested = typeof(DiagnosticTests).GetMethods().Select(m => m.Name).Where(n => n.StartsWith("GG")).Select(n => n[..6]).ToHashSet();
        var docs = Path.Combine(RepositoryRoot(), "docs", "diagnostics");
        foreach (var descriptor in DescriptorIds())
        {
            Assert.True(File.Exists(Path.Combine(docs, descriptor.Id + ".md")), $"{descriptor.Id} has no page in docs/diagnostics.");
            Assert.Equal(RepositoryUrl() + "/blob/main/docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri);
            if (descriptor.Id != "GG0901") Assert.Contains(descriptor.Id, tested);
        }
    }

    [Fact]
    public void Compiler_errors_in_the_method_get_no_second_diagnostic_and_no_output()
    {
        var (result, _) = GeneratorHarness.Run("""
            public static partial class Functions
            {
                [GradGen.Differentiable] public static double F(double x) => x * Undefined(x);
            }
            """);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.GeneratedTrees);
    }

    private static IEnumerable<DiagnosticDescriptor> DescriptorIds() =>
        typeof(Generator.GradientGenerator).Assembly.GetType("GradGen.Generator.DiagnosticDescriptors")!
            .GetFields().Select(f => f.GetValue(null)).OfType<DiagnosticDescriptor>();

    private static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));

    [Fact]
    public void GG0201_only_integer_parameters() => Expect("GG0201", """
        public static partial class Functions
        {
            [GradGen.Differentiable] public static double [|F|](int n, int[] labels) => n * 0.5 + labels.Length;
        }
        """, DiagnosticSeverity.Warning);

    [Theory]
    [InlineData("[[|Differentiable|]] public static Box operator *(Box b, double x) => b;", "an operator")]
    [InlineData("[[|Differentiable|]] public static explicit operator double(Box b) => 0;", "a conversion operator")]
    [InlineData("public double P { [[|Differentiable|]] get => 1.0; }", "an accessor")]
    [InlineData("public static double F(double x) { [[|Differentiable|]] static double G(double y) => y * y; return G(x); }", "a local function")]
    [InlineData("public static System.Func<double, double> L = [[|Differentiable|]] (double y) => y * y;", "a lambda")]
    [InlineData("[[|Differentiable|]] static double IScaled.Scale(double x) => 2 * x;", "an explicit interface implementation")]
    public void GG0007_on_what_is_not_a_method(string member, string what)
    {
        var diagnostic = ExpectOne("GG0007", "using GradGen;\npublic interface IScaled { static abstract double Scale(double x); }\npublic partial class Box : IScaled\n{\n    " + member + "\n}\n");
        Assert.Contains(what, diagnostic.GetMessage());
    }

    [Fact]
    public void GG0008_file_local_type() => ExpectOne("GG0008", """
        file static partial class [|Helpers|]
        {
            [GradGen.Differentiable] public static double F(double x) => x * x;
        }
        """);

    [Fact]
    public void GG0009_generated_name_taken() => ExpectOne("GG0009", """
        public static partial class Losses
        {
            [GradGen.Differentiable] public static double [|F|](double x) => x * x;
            public static double FPullback(double x) => 2 * x;
        }
        """);

    [Fact]
    public void GG0102_null_in_a_matrix_expression() => ExpectOne("GG0102", """
        public static partial class C
        {
            [GradGen.Differentiable] public static double F(GradGen.Matrix<double> m) => GradGen.Matrix.Sum(m + [|null|]!);
        }
        """);

    [Fact]
    public void GG0107_expression_too_deeply_nested()
    {
        var calls = string.Concat(Enumerable.Repeat("System.Math.Sin(", 300)) + "x" + new string(')', 300);
        var source = "public static partial class C\n{\n    [GradGen.Differentiable] public static double F(double x) => " + calls + ";\n}\n";
        var span = ExpectOne("GG0107", source, mark: false).Location.SourceSpan;
        // The first expression beyond the limit: a call 200 levels in, reaching to the innermost argument.
        Assert.EndsWith("Sin(x" + new string(')', 100), source.Substring(span.Start, span.Length));
    }

    [Fact]
    public void GG0108_no_pushforward_for_custom_rules_or_calls_without_one()
    {
        var diagnostic = ExpectOne("GG0108", """
            using GradGen;
            public static partial class Functions
            {
                [CustomPullback(nameof(CubePullback))] public static double Cube(double x) => x * x * x;
                public static double CubePullback(double x, double dL_dresult, ref double dL_dx) { dL_dx += 3 * x * x * dL_dresult; return x * x * x; }
                [[|Differentiable(Pushforward = true)|]] public static double F(double x) => 1 + Cube(x);
            }
            """);
        Assert.Contains("the call of 'Functions.Cube', which has no pushforward", diagnostic.GetMessage());
        // A callee without a pushforward of its own: G gets its output, F the diagnostic.
        var (result, _) = GeneratorHarness.Run("""
            public static partial class Functions
            {
                [GradGen.Differentiable] public static double G(double x) => x * x;
                [GradGen.Differentiable(Pushforward = true)] public static double F(double x) => G(x) + 1;
            }
            """);
        var missing = Assert.Single(result.Diagnostics);
        Assert.Equal("GG0108", missing.Id);
        Assert.Contains("the call of 'Functions.G', which has no pushforward", missing.GetMessage());
    }

    [Fact]
    public void GG0109_no_second_order_through_uncovered_kernels_or_calls_without_it()
    {
        var diagnostic = ExpectOne("GG0109", """
            public static partial class Functions
            {
                [[|GradGen.Differentiable(Hessian = true)|]] public static double F(GradGen.Matrix<double> m) => GradGen.Matrix.Sum(GradGen.Matrix.Gelu(m));
            }
            """);
        Assert.Contains("second order does not cover the tangent of 'Matrix.GeluBackward' (in its gradient)", diagnostic.GetMessage());
        // A callee with forward mode but without second order: G gets its output, F the diagnostic.
        var (result, _) = GeneratorHarness.Run("""
            public static partial class Functions
            {
                [GradGen.Differentiable(Pushforward = true)] public static double G(double x) => x * x;
                [GradGen.Differentiable(Hessian = true)] public static double F(double x) => G(x) + 1;
            }
            """);
        var missing = Assert.Single(result.Diagnostics);
        Assert.Equal("GG0109", missing.Id);
        Assert.Contains("the call of 'Functions.G', which has no second order (mark it [Differentiable(Hessian = true)])", missing.GetMessage());
    }

    [Fact]
    public void GG0110_no_Jacobian_over_an_array_of_matrices() => Expect("GG0110", """
        using GradGen;
        public static partial class Functions
        {
            [[|Differentiable(Jacobian = true)|]] public static Matrix<double> F(Matrix<double>[] layers, [NoDerivative] Matrix<double> x) => Matrix.MatMul(x, layers[0]);
        }
        """);

    [Fact]
    public void GG0111_custom_pushforward_without_its_value() => Expect("GG0111", """
        using GradGen;
        public static partial class Functions
        {
            [CustomPullback(nameof(CubePullback)), CustomPushforward(nameof(CubePushforward))] public static double Cube(double x) => x * x * x;
            public static double CubePullback(double x, double dL_dresult, ref double dL_dx) { dL_dx += 3 * x * x * dL_dresult; return x * x * x; }
            public static double CubePushforward(double x, double dx) => 3 * x * x * dx;
            [Differentiable(Pushforward = true)] public static double F(double x) => 1 + [|Cube(x)|];
        }
        """);

    [Fact]
    public void GG0009_for_the_names_second_order_generates()
    {
        var diagnostic = ExpectOne("GG0009", """
            public static partial class Functions
            {
                [GradGen.Differentiable(Hessian = true)] public static double [|F|](double x) => x * x;
                public static void FHessian() { }
            }
            """);
        Assert.Contains("FHessian", diagnostic.GetMessage());
    }

    private static void Expect(string id, string markedSource, DiagnosticSeverity severity = DiagnosticSeverity.Error) => ExpectOne(id, markedSource, severity);

    /// <summary>The repository address of the build (Directory.Build.props), as this assembly records it.</summary>
    private static string RepositoryUrl() =>
        typeof(DiagnosticTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryUrl").Value!;

    /// <summary>Asserts one diagnostic, its ID, its severity and its span (marked [|like this|]) and no method's output; returns it.</summary>
    internal static Diagnostic ExpectOne(string id, string markedSource, DiagnosticSeverity severity = DiagnosticSeverity.Error, bool mark = true)
    {
        var start = markedSource.IndexOf("[|", StringComparison.Ordinal);
        var end = markedSource.IndexOf("|]", StringComparison.Ordinal) - 2;
        var source = markedSource.Replace("[|", "").Replace("|]", "");

        var (result, _) = GeneratorHarness.Run(source);

        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(severity, diagnostic.Severity);
        if (mark) Assert.Equal(source[start..end], source[diagnostic.Location.SourceSpan.Start..diagnostic.Location.SourceSpan.End]);
        // No method's code; a model's gradient type may be emitted (other methods of the model use it).
        Assert.All(result.GeneratedTrees, tree => Assert.EndsWith(".Gradient-type.g.cs", tree.FilePath));
        return diagnostic;
    }
}
