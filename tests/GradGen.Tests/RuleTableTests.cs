using System.Collections.Immutable;
using System.Reflection;
using GradGen.Generator;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Tests;

/// <summary>
/// The rule table is the one source of truth: the rest of the project is checked against it. Every operation is
/// documented and has a test function; every runtime function the rules' formulas call exists, and the kernel table
/// knows it (its notation in comments, its tangent for second order).
/// </summary>
public class RuleTableTests
{
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));

    [Fact]
    public void Every_math_function_is_documented_and_tested()
    {
        var constructs = File.ReadAllText(Path.Combine(Root, "docs", "constructs.md"));
        var tests = File.ReadAllText(Path.Combine(Root, "tests", "GradGen.Tests", "Functions", "MathFunctions.cs"))
            + File.ReadAllText(Path.Combine(Root, "tests", "GradGen.Tests", "Functions", "ScalarFunctions.cs"));
        foreach (var name in DerivativeRules.MathFunctions)
        {
            Assert.True(constructs.Contains(name, StringComparison.Ordinal), $"{name} is not in docs/constructs.md");
            Assert.True(tests.Contains("." + name + "(", StringComparison.Ordinal), $"{name} has no test function");
        }
    }

    [Fact]
    public void Every_matrix_function_is_documented_and_tested()
    {
        var constructs = File.ReadAllText(Path.Combine(Root, "docs", "constructs.md"));
        var tests = File.ReadAllText(Path.Combine(Root, "tests", "GradGen.Tests", "Functions", "MatrixOperations.cs"));
        foreach (var name in DerivativeRules.MatrixFunctions)
        {
            Assert.True(constructs.Contains(name, StringComparison.Ordinal), $"Matrix.{name} is not in docs/constructs.md");
            Assert.True(tests.Contains("Matrix." + name + "(", StringComparison.Ordinal), $"Matrix.{name} has no test function in MatrixOperations.cs");
        }
    }

    [Fact]
    public void Every_runtime_function_the_formulas_call_exists_and_is_in_the_kernel_table()
    {
        var runtime = typeof(Matrix).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name)
            .Concat(typeof(Matrix<double>).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name)).ToHashSet();
        foreach (var call in Formulas().SelectMany(Calls).Where(c => c.Function.StartsWith("global::GradGen.Matrix.", StringComparison.Ordinal)).Distinct())
        {
            var name = call.Function["global::GradGen.Matrix.".Length..];
            Assert.True(runtime.Contains(name), $"the rules call Matrix.{name}, which the runtime does not have");
            Assert.True(GradGen.Generator.Kernels.Of(call) is not null || DerivativeRules.All.Any(r => r.Op == "Matrix." + name), $"Matrix.{name} is neither a rule nor in the kernel table");
        }
    }

    /// <summary>Every formula of the table: forward values, pullbacks, pushforwards and fused pullbacks, at symbolic operands.</summary>
    private static IEnumerable<Expr> Formulas()
    {
        foreach (var rule in DerivativeRules.All)
        {
            foreach (var types in new[] { NumType.MatrixDouble, NumType.Double }.Select(t => Enumerable.Repeat(t, rule.Arity).ToImmutableArray()))
            {
                var context = Context(rule.Arity, types);
                yield return rule.Forward(context);
                for (var i = 0; i < rule.Arguments.Length; i++)
                {
                    yield return rule.Arguments[i].Pullback(context, new Variable("g"));
                    if (rule.Arguments[i].Pushforward is { } pushforward) yield return pushforward(context, new Variable("t"));
                }
            }
        }
        foreach (var fused in DerivativeRules.AllFused)
        {
            yield return fused.Pullback(Context(2, [NumType.MatrixDouble, NumType.Labels]), Context(1, [NumType.MatrixDouble]), new Variable("g"));
        }
    }

    private static RuleContext Context(int arity, ImmutableArray<NumType> types) =>
        new(Enumerable.Range(0, arity).Select(i => (Expr)new Variable("a" + i)).ToImmutableArray(), new Variable("r"), NumType.MatrixDouble, types);

    private static IEnumerable<Call> Calls(Expr expr) => (expr is Call call ? [call] : Enumerable.Empty<Call>()).Concat(expr.Children.SelectMany(Calls));
}
