using System;

namespace GradGen;

/// <summary>
/// On a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method: the parameter is data,
/// no derivative is computed with respect to it (Swift's <c>@noDerivative</c>, JAX's <c>argnums</c>).
/// On a method: calls to it from [Differentiable] methods are constants of the gradient, like
/// <c>stop_gradient</c>; its result carries no derivative.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
