using System;

namespace GradGen;

/// <summary>
/// Marks a static method of a <c>partial</c> type whose gradient GradGen generates at compile time.
/// </summary>
/// <remarks>
/// For a method <c>double F(double a, double b)</c> the generator adds to the same type:
/// <list type="bullet">
/// <item><c>FWithGradient(a, b)</c>, returning <c>(double Value, double dL_da, double dL_db)</c>;</item>
/// <item><c>FPullback(a, b, dL_dresult, ref dL_da, ref dL_db)</c>, which returns the value and adds
/// <c>dL_dresult · ∂F/∂a</c> to <c>dL_da</c> (and likewise for <c>b</c>).</item>
/// </list>
/// Every floating-point parameter is differentiated unless it is marked <see cref="NoDerivativeAttribute"/>.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
    /// <summary>
    /// Also generate forward mode: <c>FPushforward(a, b, da, db)</c>, returning the value and its directional derivative
    /// ∂F/∂a·da + ∂F/∂b·db in one pass (for numbers, arrays and matrices; a method it calls needs forward mode too).
    /// </summary>
    public bool Pushforward { get; set; }

    /// <summary>
    /// Also generate second order, exact (forward over reverse: the pushforward of the generated pullback):
    /// <c>FHessianVectorProduct(a, b, va, vb)</c>, returning the value, the gradient and the Hessian-vector product H·v for
    /// about 1.5 times the cost of the gradient; <c>FHessian(a, b)</c>, the value, gradient and full (symmetric) Hessian
    /// from n of them; and <c>FHessianPullback</c>, which methods that call this one use. Implies <see cref="Pushforward"/>.
    /// For numbers, arrays and matrices (not yet through Gelu, Silu, Softplus or the losses on probabilities: GG0109); a
    /// method it calls needs <c>Hessian = true</c> too.
    /// </summary>
    public bool Hessian { get; set; }

    /// <summary>
    /// Also generate <c>FJacobian(a, b)</c>, the value and the Jacobian as a matrix: row i holds the partials of the
    /// result's i-th number (a matrix result's items row by row), columns follow the differentiated numbers (parameters in
    /// order, an array's or matrix's items one by one). Computed column by column with the pushforward when there are no
    /// more inputs than outputs, else row by row with the pullback. Implies <see cref="Pushforward"/>.
    /// </summary>
    public bool Jacobian { get; set; }
}
