namespace GradGen.Generator.Model;

/// <summary>
/// The types of values GradGen reads: scalars and matrices of <c>double</c> or <c>float</c> and arrays of them, which
/// it differentiates; and integers (<c>int</c> loop counters, sizes, indices) and class labels (<c>int[]</c>), data
/// that is read but never differentiated.
/// </summary>
internal enum NumType
{
    Double,
    Float,
    MatrixDouble,
    MatrixFloat,
    Labels,
    Int,
    DoubleArray,
    FloatArray,
    MatrixDoubleArray,
    MatrixFloatArray,
}

internal static class NumTypeExtensions
{
    public static bool IsMatrix(this NumType type) => type is NumType.MatrixDouble or NumType.MatrixFloat;

    public static bool IsArray(this NumType type) => type is NumType.DoubleArray or NumType.FloatArray or NumType.MatrixDoubleArray or NumType.MatrixFloatArray or NumType.Labels;

    /// <summary>Whether values of the type can carry a derivative (integers and labels are data).</summary>
    public static bool IsDifferentiable(this NumType type) => type is not (NumType.Labels or NumType.Int);

    /// <summary>The element type of an array's items; the type itself for anything else.</summary>
    public static NumType Item(this NumType type) => type switch
    {
        NumType.DoubleArray => NumType.Double,
        NumType.FloatArray => NumType.Float,
        NumType.MatrixDoubleArray => NumType.MatrixDouble,
        NumType.MatrixFloatArray => NumType.MatrixFloat,
        NumType.Labels => NumType.Int,
        _ => type,
    };

    /// <summary>The scalar type of the numbers a value holds: the type itself for a scalar.</summary>
    public static NumType Element(this NumType type) => type.Item() switch
    {
        NumType.MatrixDouble => NumType.Double,
        NumType.MatrixFloat => NumType.Float,
        var item => item,
    };

    public static string Keyword(this NumType type) => type switch
    {
        NumType.Float => "float",
        NumType.Int => "int",
        NumType.MatrixDouble => "global::GradGen.Matrix<double>",
        NumType.MatrixFloat => "global::GradGen.Matrix<float>",
        _ when type.IsArray() => type.Item().Keyword() + "[]",
        _ => "double",
    };

    /// <summary>The type in a generated file's name: <c>double</c>, <c>Matrix-float</c>, <c>double-Array</c>.</summary>
    public static string HintName(this NumType type) => type.IsArray()
        ? type.Item().HintName() + "-Array"
        : type.Keyword().Replace("global::GradGen.Matrix<", "Matrix-").TrimEnd('>');

    public static string MathClass(this NumType type) => type.Element() == NumType.Float ? "global::System.MathF" : "global::System.Math";
}
