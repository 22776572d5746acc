using System;
using System.Collections.Generic;
using System.Numerics;
using System.Numerics.Tensors;

namespace GradGen;

/// <summary>
/// What a training loop does to a whole model or gradient: count, zero, scale, add, measure and clip, list by name.
/// Each is a visit of the parameters (<see cref="IModel{T}.Visit"/>): no reflection, and no allocation but
/// <see cref="NamedParameters"/>'s list.
/// </summary>
public static class ModelExtensions
{
    /// <summary>How many numbers the model's parameters hold (PyTorch: <c>sum(p.numel() for p in model.parameters())</c>).</summary>
    public static long ParameterCount<T>(this IModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var counter = new Counter<T>();
        model.Visit(ref counter);
        return counter.Count;
    }

    /// <summary>Sets every number to zero (a gradient before accumulating into it).</summary>
    public static void Zero<T>(this IModel<T> model) where T : unmanaged, IFloatingPointIeee754<T> => model.Scale(T.Zero);

    /// <summary>Multiplies every number by <paramref name="factor"/>, in place.</summary>
    public static void Scale<T>(this IModel<T> model, T factor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var scaler = new Scaler<T>(factor);
        model.Visit(ref scaler);
    }

    /// <summary>
    /// Adds <paramref name="other"/> to <paramref name="model"/>, parameter by parameter (e.g. a gradient of one batch into
    /// an accumulated one). Both have the same type, so the same parameters; their shapes must match. A generated gradient
    /// type calls it as <c>gradient.Add(other)</c>.
    /// </summary>
    public static void Add<T, TModel>(TModel model, TModel other)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TModel : IModel<T, TModel>
    {
        var adder = new Adder<T>();
        model.Visit(other, ref adder);
    }

    /// <summary>The L2 norm of all the numbers together, √Σx² (for a gradient: its global norm).</summary>
    public static T GlobalNorm<T>(this IModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var squares = new SumOfSquares<T>();
        model.Visit(ref squares);
        return T.Sqrt(squares.Sum);
    }

    /// <summary>
    /// Scales a gradient down so that its global norm is at most <paramref name="maxNorm"/>, as PyTorch's
    /// <c>clip_grad_norm_</c> does (by <c>maxNorm / (norm + 1e-6)</c> when that is below 1); returns the norm before clipping.
    /// </summary>
    public static T ClipByGlobalNorm<T>(this IModel<T> gradient, T maxNorm) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var norm = gradient.GlobalNorm();
        var factor = maxNorm / (norm + T.CreateChecked(1e-6));
        if (factor < T.One) gradient.Scale(factor);
        return norm;
    }

    /// <summary>
    /// Each parameter's dotted name and a copy of its numbers as a matrix (a number as 1×1, an array as n×1), in visit
    /// order: for printing a summary or comparing two models, not for training (it allocates).
    /// </summary>
    public static IReadOnlyList<(string Name, Matrix<T> Value)> NamedParameters<T>(this IModel<T> model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var lister = new Lister<T>([]);
        model.Visit(ref lister);
        return lister.Parameters;
    }

    private struct Counter<T> : IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public long Count;
        public readonly bool NeedsNames => false;
        public void Visit(Parameter<T> parameter) => Count += parameter.Value.Length;
    }

    private readonly struct Scaler<T>(T factor) : IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool NeedsNames => false;
        public void Visit(Parameter<T> parameter) => TensorPrimitives.Multiply(parameter.Value, factor, parameter.Value);
    }

    private readonly struct Adder<T> : IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public bool NeedsNames => false;
        public void Visit(Parameter<T> parameter) => TensorPrimitives.Add(parameter.Value, parameter.Gradient, parameter.Value);
    }

    private struct SumOfSquares<T> : IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public T Sum;
        public readonly bool NeedsNames => false;
        public void Visit(Parameter<T> parameter) => Sum += TensorPrimitives.SumOfSquares<T>(parameter.Value);
    }

    private readonly struct Lister<T>(List<(string, Matrix<T>)> parameters) : IParameterVisitor<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public List<(string Name, Matrix<T> Value)> Parameters => parameters;
        public bool NeedsNames => true;
        public void Visit(Parameter<T> parameter) => parameters.Add((parameter.Name, new Matrix<T>(parameter.Rows, parameter.Columns, parameter.Value.ToArray())));
    }
}
