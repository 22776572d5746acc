using System.Numerics;

namespace GradGen;

/// <summary>
/// A model: a type whose <c>[Differentiable]</c> instance methods read its parameters (its fields and properties of
/// numbers, matrices, arrays of them and other models). GradGen implements this interface in the model's partial
/// declaration, and on its generated <c>Gradient</c> type, which has the same members shaped like the parameters.
/// </summary>
/// <typeparam name="T">The number type of every parameter: <c>double</c> or <c>float</c>.</typeparam>
public interface IModel<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Shows each parameter to <paramref name="visitor"/>, in declaration order (nested models' parameters where the
    /// model member is declared, an array's items in order), with its dotted PyTorch-style name (<c>layers.2.bias</c>).
    /// </summary>
    /// <param name="prefix">Put before every name (a nested model's parameters are visited with <c>"hidden."</c>).</param>
    void Visit<TVisitor>(ref TVisitor visitor, string prefix = "") where TVisitor : IParameterVisitor<T>;
}

/// <summary>A model whose gradient is a <typeparamref name="TGradient"/>: what its generated <c>…WithGradient</c> returns.</summary>
public interface IModel<T, in TGradient> : IModel<T>
    where T : unmanaged, IFloatingPointIeee754<T>
    where TGradient : IModel<T>
{
    /// <summary>Shows each parameter with its part of <paramref name="gradient"/> (<see cref="Parameter{T}.Gradient"/>), in the order of <see cref="IModel{T}.Visit"/>.</summary>
    void Visit<TVisitor>(TGradient gradient, ref TVisitor visitor, string prefix = "") where TVisitor : IParameterVisitor<T>;
}

/// <summary>What a model's <c>Visit</c> calls for each parameter: optimizers, gradient clipping, saving and loading.</summary>
/// <remarks>Implement it as a struct: the model's generic <c>Visit</c> then calls it without boxing or allocating.</remarks>
public interface IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>
    /// Whether the visitor reads <see cref="Parameter{T}.Name"/>: a nested model's full names are built (allocated)
    /// only then, so that a training step's visit allocates nothing. When false, a name is the member's own.
    /// </summary>
    bool NeedsNames { get; }

    void Visit(Parameter<T> parameter);
}
