using System;
using System.Numerics;

namespace GradGen;

/// <summary>
/// One parameter of a model as a visitor sees it: its name, its numbers (a view of the model's own storage: writing
/// them changes the model), its shape, and, when visited with a gradient, the gradient's numbers for it.
/// </summary>
public readonly ref struct Parameter<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Parameter(string name, Span<T> value, Span<T> gradient, int rank, int rows, int columns)
    {
        Name = name;
        Value = value;
        Gradient = gradient;
        Rank = rank;
        Rows = rows;
        Columns = columns;
    }

    /// <summary>The dotted name, PyTorch's <c>state_dict</c> convention: <c>hidden.weight</c>, <c>layers.2.bias</c>.</summary>
    public string Name { get; }

    /// <summary>The parameter's numbers, row-major: the model's storage itself.</summary>
    public Span<T> Value { get; }

    /// <summary>The gradient's numbers for this parameter, as long as <see cref="Value"/>; empty when visited without a gradient.</summary>
    public Span<T> Gradient { get; }

    /// <summary>0 for a number, 1 for an array of numbers, 2 for a matrix.</summary>
    public int Rank { get; }

    /// <summary>A matrix's rows, an array's length, 1 for a number.</summary>
    public int Rows { get; }

    /// <summary>A matrix's columns, 1 for a number or an array.</summary>
    public int Columns { get; }

    /// <summary>The shape as a file records it: <c>[]</c>, <c>[n]</c> or <c>[rows, columns]</c>.</summary>
    public int[] Shape() => Rank switch { 0 => [], 1 => [Rows], _ => [Rows, Columns] };

    /// <summary>A matrix parameter.</summary>
    public static Parameter<T> Of(string name, Matrix<T> value) => new(name, NotNull(name, value).Span, default, 2, value.Rows, value.Columns);

    /// <summary>A matrix parameter and its gradient, which must have its shape.</summary>
    public static Parameter<T> Of(string name, Matrix<T> value, Matrix<T> gradient)
    {
        NotNull(name, value);
        if (NotNull(name, gradient).Rows != value.Rows || gradient.Columns != value.Columns)
        {
            throw new ArgumentException($"The gradient of '{name}' is {gradient.Shape} and the parameter {value.Shape}: a gradient has its parameter's shape.", nameof(gradient));
        }
        return new(name, value.Span, gradient.Span, 2, value.Rows, value.Columns);
    }

    /// <summary>An array-of-numbers parameter.</summary>
    public static Parameter<T> Of(string name, T[] value) => new(name, NotNull(name, value), default, 1, value.Length, 1);

    /// <summary>An array-of-numbers parameter and its gradient, which must have its length.</summary>
    public static Parameter<T> Of(string name, T[] value, T[] gradient)
    {
        NotNull(name, value);
        if (NotNull(name, gradient).Length != value.Length)
        {
            throw new ArgumentException($"The gradient of '{name}' has {gradient.Length} numbers and the parameter {value.Length}: a gradient has its parameter's shape.", nameof(gradient));
        }
        return new(name, value, gradient, 1, value.Length, 1);
    }

    /// <summary>A number parameter (a field: the visitor may write it).</summary>
    public static Parameter<T> Of(string name, ref T value) => new(name, new Span<T>(ref value), default, 0, 1, 1);

    /// <summary>A number parameter and its gradient.</summary>
    public static Parameter<T> Of(string name, ref T value, ref T gradient) => new(name, new Span<T>(ref value), new Span<T>(ref gradient), 0, 1, 1);

    private static TValue NotNull<TValue>(string name, TValue? value) where TValue : class =>
        value ?? throw new InvalidOperationException($"The model's parameter '{name}' is null: give every parameter a value (an initializer, or LoadFrom) before using the model.");
}
