using System;

namespace GradGen;

/// <summary>
/// On a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method: the parameter is data,
/// no derivative is computed with respect to it (Swift's <c>@noDerivative</c>, JAX's <c>argnums</c>).
/// On a method: calls to it from [Differentiable] methods are constants of the gradient, like
/// <c>stop_gradient</c>; its result carries no derivative.
/// On a field or property of a model (a type with [Differentiable] instance methods): the member is not a parameter —
/// configuration, running statistics, a random source — so it has no gradient, no optimizer updates it and no file
/// saves it.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Method | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
