using System;
using System.Globalization;
using System.Linq;

namespace GradGen.Generator.Expressions;

/// <summary>
/// Prints a matrix backward formula for the generated comments in textbook notation: <c>a·bᵀ</c> for a matrix
/// product, <c>⊙</c> for an elementwise product, <c>σ</c> for the sigmoid, <c>[z &gt; 0]</c> for a mask. The code
/// under the comment is what runs; this is what a reader compares with a derivation.
/// </summary>
internal static class MathNotation
{
    /// <summary>How tightly notation binds, loosest first: a sum, a product (⊙, ·), a prefix (Σ, −), a primary (σ(z), zᵀ).</summary>
    public const int Additive = 1, Multiplicative = 2, Unary = 3, Primary = 4;

    public static string Print(Expr expr, Func<string, bool> isMatrix) => new Printer(isMatrix).Print(expr, 0);

    private sealed class Printer(Func<string, bool> isMatrix)
    {


        public string Print(Expr expr, int outer)
        {
            var (text, precedence) = expr switch
            {
                Variable v => (v.Name, Primary),
                Number n => (n.Value.ToString("R", CultureInfo.InvariantCulture), n.Value < 0 ? Unary : Primary),
                Negate n => ("-" + Print(n.Operand, Unary + 1), Unary),
                Binary { Op: "+" or "-" } b => (Print(b.Left, Additive) + " " + b.Op + " " + Print(b.Right, Additive + 1), Additive),
                Binary { Op: "*" } b => (Print(b.Left, Multiplicative) + (IsMatrix(b.Left) && IsMatrix(b.Right) ? " ⊙ " : "·") + Print(b.Right, Multiplicative + 1), Multiplicative),
                Binary { Op: "/" } b => (Print(b.Left, Multiplicative) + "/" + Print(b.Right, Multiplicative + 1), Multiplicative),
                Member m => (Print(m.Target, Primary) + "." + m.Name, Primary),
                MatMul p => (Print(p.A, p.TransposeA ? Primary : Multiplicative) + (p.TransposeA ? "ᵀ" : "") + "·"
                    + Print(p.B, p.TransposeB ? Primary : Multiplicative + 1) + (p.TransposeB ? "ᵀ" : ""), Multiplicative),
                Call c => Function(Name(c), c),
                _ => (ExprPrinter.Print(expr, Model.NumType.Double, qualified: false), Primary),
            };
            return precedence < outer ? "(" + text + ")" : text;
        }

        /// <summary>The kernel's notation (see <see cref="Kernel.Notation"/>), or <c>Name(args)</c>.</summary>
        private (string, int) Function(string name, Call call)
        {
            if (Kernels.Of(call) is not { Notation: { } notation } kernel)
            {
                return (name + "(" + string.Join(", ", call.Args.Select(a => Print(a, 0))) + ")", Primary);
            }
            var text = Placeholder.Replace(notation, m =>
            {
                var outer = m.Groups[2].Value switch { "!" => Primary, "*" => Multiplicative, "*r" => Multiplicative + 1, "+l" => Additive, "+" => Additive + 1, _ => 0 };
                return Print(call.Args[int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)], outer);
            });
            return (text, kernel.Precedence);
        }

        private static readonly System.Text.RegularExpressions.Regex Placeholder = new(@"\{(\d+)(?::([^}]*))?\}");

        private bool IsMatrix(Expr expr) => WorkspaceCalls.IsMatrix(expr, isMatrix);

        private static string Name(Call call) => call.Function.Substring(call.Function.LastIndexOf('.') + 1);
    }
}
