using System;
using System.Numerics.Tensors;

namespace GradGen;

public sealed partial class Matrix<T>
{
    /// <summary>
    /// Elementwise sum; <paramref name="b"/> may also be a 1×n row vector, added to every row (a bias), or an m×1
    /// column vector, added to every column.
    /// </summary>
    public static Matrix<T> operator +(Matrix<T> a, Matrix<T> b) => Broadcast("+", a, b, TensorPrimitives.Add, TensorPrimitives.Add);

    /// <summary>Elementwise difference; <paramref name="b"/> may also be a 1×n row vector or an m×1 column vector, broadcast as in <c>+</c>.</summary>
    public static Matrix<T> operator -(Matrix<T> a, Matrix<T> b) => Broadcast("-", a, b, TensorPrimitives.Subtract, TensorPrimitives.Subtract);

    /// <summary>
    /// Elementwise (Hadamard) product a ⊙ b, as numpy's <c>*</c>, with <paramref name="b"/> broadcast as in <c>+</c>.
    /// The matrix product is <see cref="Matrix.MatMul{T}"/>.
    /// </summary>
    public static Matrix<T> operator *(Matrix<T> a, Matrix<T> b) => Broadcast("*", a, b, TensorPrimitives.Multiply, TensorPrimitives.Multiply);

    /// <summary>Elementwise quotient, with <paramref name="b"/> broadcast as in <c>+</c>.</summary>
    public static Matrix<T> operator /(Matrix<T> a, Matrix<T> b) => Broadcast("/", a, b, TensorPrimitives.Divide, TensorPrimitives.Divide);

    public static Matrix<T> operator -(Matrix<T> a) => Map(a, TensorPrimitives.Negate);

    public static Matrix<T> operator +(Matrix<T> a, T s) => Map(a, s, TensorPrimitives.Add);

    public static Matrix<T> operator +(T s, Matrix<T> a) => Map(a, s, TensorPrimitives.Add);

    public static Matrix<T> operator -(Matrix<T> a, T s) => Map(a, s, TensorPrimitives.Subtract);

    public static Matrix<T> operator -(T s, Matrix<T> a)
    {
        var result = a.ZerosLike();
        TensorPrimitives.Subtract(s, a.Span, result.Span);
        return result;
    }

    public static Matrix<T> operator *(Matrix<T> a, T s) => Map(a, s, TensorPrimitives.Multiply);

    public static Matrix<T> operator *(T s, Matrix<T> a) => Map(a, s, TensorPrimitives.Multiply);

    public static Matrix<T> operator /(Matrix<T> a, T s) => Map(a, s, TensorPrimitives.Divide);

    public static Matrix<T> operator /(T s, Matrix<T> a)
    {
        var result = a.ZerosLike();
        TensorPrimitives.Divide(s, a.Span, result.Span);
        return result;
    }

    private delegate void Binary(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);

    private delegate void WithScalar(ReadOnlySpan<T> x, T y, Span<T> destination);

    private delegate void Unary(ReadOnlySpan<T> x, Span<T> destination);

    private static Matrix<T> Broadcast(string operation, Matrix<T> a, Matrix<T> b, Binary kernel, WithScalar scalarKernel)
    {
        var result = a.ZerosLike();
        if (b.Rows == a.Rows && b.Columns == a.Columns)
        {
            kernel(a.Span, b.Span, result.Span);
        }
        else if (b.Rows == 1 && b.Columns == a.Columns)
        {
            for (var r = 0; r < a.Rows; r++) kernel(a.Row(r), b.Span, result.Row(r));
        }
        else if (b.Columns == 1 && b.Rows == a.Rows)
        {
            for (var r = 0; r < a.Rows; r++) scalarKernel(a.Row(r), b[r, 0], result.Row(r));
        }
        else
        {
            throw new ArgumentException($"{operation}: shapes {a.Shape} and {b.Shape} differ, and {b.Shape} is neither a 1×{a.Columns} row nor a {a.Rows}×1 column to broadcast.");
        }
        return result;
    }

    private static Matrix<T> Map(Matrix<T> a, Unary kernel)
    {
        var result = a.ZerosLike();
        kernel(a.Span, result.Span);
        return result;
    }

    private static Matrix<T> Map(Matrix<T> a, T s, WithScalar kernel)
    {
        var result = a.ZerosLike();
        kernel(a.Span, s, result.Span);
        return result;
    }
}
