using System;

namespace GradGen;

/// <summary>
/// Gives a method a forward-mode derivative written by hand, beside its <see cref="CustomPullbackAttribute">[CustomPullback]</see>
/// (or instead of the one <c>[Differentiable(Pushforward = true)]</c> generates): where a method with forward mode calls it,
/// the generated pushforward calls the named one (JAX's <c>custom_jvp</c>).
/// </summary>
/// <remarks>
/// The pushforward has the signature GradGen generates: for <c>static double F(double a, [NoDerivative] double b)</c> it is
/// <c>static (double Value, double Tangent) FPushforward(double a, double b, double da)</c>: the arguments, then one tangent
/// per differentiated parameter (of its type: a matrix's tangent is a matrix of its shape); it returns F's value and
/// ∂F/∂a·da + …. Over matrices it may take a last <c>Workspace?</c> parameter. A wrong signature is reported (GG0111)
/// where the method is called.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class CustomPushforwardAttribute : Attribute
{
    /// <param name="pushforward">The name of the pushforward, a static method of the same type (use <c>nameof</c>).</param>
    public CustomPushforwardAttribute(string pushforward) => Pushforward = pushforward;

    /// <param name="type">The type that declares the pushforward.</param>
    /// <param name="pushforward">The name of the pushforward, a static method of <paramref name="type"/> (use <c>nameof</c>).</param>
    public CustomPushforwardAttribute(Type type, string pushforward)
    {
        Type = type;
        Pushforward = pushforward;
    }

    public Type? Type { get; }

    public string Pushforward { get; }
}
