using System;

namespace GradGen;

/// <summary>
/// Gives a method a derivative written by hand: where a <see cref="DifferentiableAttribute">[Differentiable]</see>
/// method calls it, the generated backward calls the named pullback instead of differentiating the method's body
/// (Swift's <c>@derivative(of:)</c>, JAX's <c>custom_vjp</c>). Use it for a numerically better derivative than the
/// chain rule gives (a stable log-sum-exp, a clipped activation), or for a method GradGen cannot read.
/// </summary>
/// <remarks>
/// The pullback has the signature GradGen generates for <c>[Differentiable]</c> methods: for
/// <c>static double F(double a, [NoDerivative] double b, Matrix&lt;double&gt; m)</c> it is
/// <c>static double FPullback(double a, double b, Matrix&lt;double&gt; m, double dL_dresult, ref double dL_da, ref Matrix&lt;double&gt; dL_dm)</c>:
/// the arguments, the adjoint of the result, then one <c>ref</c> adjoint per differentiated parameter, to which it
/// adds <c>dL_dresult</c> pulled back through F; it returns F's value. A wrong signature is reported (GG0106) where
/// the method is called. For a method of another library, write a one-line wrapper that calls it and carries this attribute.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomPullbackAttribute : Attribute
{
    /// <param name="pullback">The name of the pullback, a static method of the same type (use <c>nameof</c>).</param>
    public CustomPullbackAttribute(string pullback) => Pullback = pullback;

    /// <param name="type">The type that declares the pullback.</param>
    /// <param name="pullback">The name of the pullback, a static method of <paramref name="type"/> (use <c>nameof</c>).</param>
    public CustomPullbackAttribute(Type type, string pullback)
    {
        Type = type;
        Pullback = pullback;
    }

    public Type? Type { get; }

    public string Pullback { get; }
}
