using System;

namespace GradGen;

/// <summary>
/// Marks a parameter of a <see cref="DifferentiableAttribute">[Differentiable]</see> method as data:
/// no derivative is computed with respect to it (Swift's <c>@noDerivative</c>, JAX's <c>argnums</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class NoDerivativeAttribute : Attribute
{
}
