namespace GradGen.Tests.Properties;

/// <summary>
/// Forward-mode dual numbers as C# source, compiled beside each random program: the program's twin over <c>D</c> gives the
/// exact directional derivative at a point (branches as taken), an oracle that finite differences cannot be near a kink.
/// </summary>
public static class DualPrelude
{
    public const string Source = """
        public readonly struct D
        {
            public readonly double V, T;
            public D(double v, double t) { V = v; T = t; }
            public static implicit operator D(double v) => new(v, 0);
            public static explicit operator int(D d) => (int)d.V;
            public static D operator +(D a, D b) => new(a.V + b.V, a.T + b.T);
            public static D operator -(D a, D b) => new(a.V - b.V, a.T - b.T);
            public static D operator -(D a) => new(-a.V, -a.T);
            public static D operator *(D a, D b) => new(a.V * b.V, a.T * b.V + a.V * b.T);
            public static D operator /(D a, D b) { var q = a.V / b.V; return new(q, (a.T - q * b.T) / b.V); }
            public static D operator ++(D a) => new(a.V + 1, a.T);
            public static bool operator <(D a, D b) => a.V < b.V;
            public static bool operator >(D a, D b) => a.V > b.V;
            public static bool operator <=(D a, D b) => a.V <= b.V;
            public static bool operator >=(D a, D b) => a.V >= b.V;
        }

        public static class DMath
        {
            public static D Sin(D x) => new(System.Math.Sin(x.V), x.T * System.Math.Cos(x.V));
            public static D Cos(D x) => new(System.Math.Cos(x.V), -x.T * System.Math.Sin(x.V));
            public static D Tanh(D x) { var t = System.Math.Tanh(x.V); return new(t, x.T * (1 - t * t)); }
            public static D Atan(D x) => new(System.Math.Atan(x.V), x.T / (1 + x.V * x.V));
            public static D Exp(D x) { var e = System.Math.Exp(x.V); return new(e, x.T * e); }
            public static D Log(D x) => new(System.Math.Log(x.V), x.T / x.V);
            public static D Sqrt(D x) { var s = System.Math.Sqrt(x.V); return new(s, x.T * 0.5 / s); }
            public static D Asinh(D x) => new(System.Math.Asinh(x.V), x.T / System.Math.Sqrt(x.V * x.V + 1));
            public static D Cbrt(D x) { var r = System.Math.Cbrt(x.V); return new(r, x.T / (3 * r * r)); }
            public static D Pow(D x, D y) { var p = System.Math.Pow(x.V, y.V); return new(p, x.T * y.V * System.Math.Pow(x.V, y.V - 1) + y.T * p * System.Math.Log(x.V)); }
            // Ties go to the second argument, as GradGen's Max (the ReLU convention).
            public static D Max(D x, D y) => x.V > y.V ? x : y;
        }
        """;

    /// <summary>The program's twin over dual numbers: the same text with <c>double</c> → <c>D</c> and <c>Math.</c> → <c>DMath.</c>.</summary>
    public static string Twin(string method) =>
        System.Text.RegularExpressions.Regex.Replace(method, @"\[Differentiable[^\]]*\] ", "").Replace("double", "D").Replace("Math.", "DMath.").Replace(" F(", " FDual(").Replace("H(", "HDual(");

    /// <summary>The helper the programs call, a [Differentiable] method itself.</summary>
    public const string Helper = "[Differentiable] public static double H(double x, double y) => x * Math.Sin(y) + y * y * 0.5;\n";
}
