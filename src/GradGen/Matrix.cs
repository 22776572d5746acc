using System;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;
using System.Text;

namespace GradGen;

/// <summary>
/// A dense row-major matrix of <c>float</c> or <c>double</c>, with the operations of a numpy forward pass.
/// Operators are elementwise, as in numpy: <c>a * b</c> is the Hadamard product (⊙); the matrix product is
/// <see cref="Matrix.MatMul{T}"/>. <c>a + b</c> and <c>a - b</c> also accept a
/// 1×n row vector <c>b</c>, added to every row (the bias of a dense layer).
/// </summary>
/// <remarks>Shape mismatches throw <see cref="ArgumentException"/> naming the operation and both shapes.</remarks>
public sealed partial class Matrix<T> : IEquatable<Matrix<T>>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _data;

    /// <summary>A zero-filled <paramref name="rows"/>×<paramref name="columns"/> matrix.</summary>
    public Matrix(int rows, int columns)
        : this(rows, columns, new T[checked(Validate(rows, columns) * columns)])
    {
    }

    /// <summary>A matrix over <paramref name="data"/> (row-major, not copied).</summary>
    public Matrix(int rows, int columns, T[] data)
    {
        Validate(rows, columns);
        if (data.Length != rows * columns)
        {
            throw new ArgumentException($"A {rows}×{columns} matrix needs {rows * columns} elements, not {data.Length}.", nameof(data));
        }
        Rows = rows;
        Columns = columns;
        _data = data;
    }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>The number of elements, <see cref="Rows"/> × <see cref="Columns"/>.</summary>
    public int Length => _data.Length;

    /// <summary>"(rows×columns)", as shapes appear in error messages.</summary>
    public string Shape => $"({Rows}×{Columns})";

    /// <summary>The elements, row after row.</summary>
    public Span<T> Span => _data;

    /// <summary>The row-major storage, for the kernels.</summary>
    internal T[] Data => _data;

    public T this[int row, int column]
    {
        get => _data[Index(row, column)];
        set => _data[Index(row, column)] = value;
    }

    /// <summary>Row <paramref name="row"/> as a span.</summary>
    public Span<T> Row(int row) => _data.AsSpan(Index(row, 0), Columns);

    /// <summary>Rows first…first+count−1, one span: what a pass shared by rows works on.</summary>
    internal Span<T> RowsOf(int first, int count) => _data.AsSpan(first * Columns, count * Columns);

    /// <summary>A matrix from nested arrays, one per row: <c>Matrix&lt;double&gt;.FromRows([[1, 2], [3, 4]])</c>.</summary>
    public static Matrix<T> FromRows(params T[][] rows)
    {
        var columns = rows.Length == 0 ? 0 : rows[0].Length;
        var result = new Matrix<T>(rows.Length, columns);
        for (var r = 0; r < rows.Length; r++)
        {
            if (rows[r].Length != columns) throw new ArgumentException($"Row {r} has {rows[r].Length} elements; row 0 has {columns}.", nameof(rows));
            rows[r].CopyTo(result.Row(r));
        }
        return result;
    }

    /// <summary>A matrix filled with <paramref name="value"/>.</summary>
    public static Matrix<T> Filled(int rows, int columns, T value)
    {
        var result = new Matrix<T>(rows, columns);
        result.Span.Fill(value);
        return result;
    }

    /// <summary>Adds <paramref name="scale"/> · <paramref name="other"/> to this matrix, in place (BLAS's axpy): a gradient-descent step without allocation.</summary>
    public void AddScaled(T scale, Matrix<T> other)
    {
        RequireSameShape("AddScaled", this, other);
        TensorPrimitives.MultiplyAdd(other.Span, scale, Span, Span);
    }

    /// <summary>A zero matrix of the same shape.</summary>
    public Matrix<T> ZerosLike() => new(Rows, Columns);

    public Matrix<T> Clone() => new(Rows, Columns, (T[])_data.Clone());

    public T[][] ToRows()
    {
        var rows = new T[Rows][];
        for (var r = 0; r < Rows; r++) rows[r] = Row(r).ToArray();
        return rows;
    }

    public bool Equals(Matrix<T>? other) =>
        other is not null && Rows == other.Rows && Columns == other.Columns && _data.AsSpan().SequenceEqual(other._data);

    public override bool Equals(object? obj) => Equals(obj as Matrix<T>);

    public override int GetHashCode() => HashCode.Combine(Rows, Columns, _data.Length == 0 ? default : _data[0]);

    public override string ToString()
    {
        var text = new StringBuilder("[");
        for (var r = 0; r < Rows; r++)
        {
            text.Append(r == 0 ? "[" : ",\n [");
            for (var c = 0; c < Columns; c++) text.Append(c == 0 ? "" : ", ").Append(this[r, c].ToString(null, CultureInfo.InvariantCulture));
            text.Append(']');
        }
        return text.Append(']').ToString();
    }

    internal static void RequireSameShape(string operation, Matrix<T> a, Matrix<T> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.Rows != b.Rows || a.Columns != b.Columns)
        {
            throw new ArgumentException($"{operation}: shapes {a.Shape} and {b.Shape} differ.");
        }
    }

    private int Index(int row, int column)
    {
        if ((uint)row >= (uint)Rows || (uint)column >= (uint)Columns)
        {
            throw new IndexOutOfRangeException($"Element ({row}, {column}) is outside a {Shape} matrix.");
        }
        return row * Columns + column;
    }

    private static int Validate(int rows, int columns)
    {
        if (rows < 0 || columns < 0) throw new ArgumentOutOfRangeException(nameof(rows), $"A matrix cannot be {rows}×{columns}.");
        return rows;
    }
}
