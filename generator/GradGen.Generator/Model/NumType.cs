namespace GradGen.Generator.Model;

/// <summary>
/// The types of values GradGen differentiates: scalars and matrices of <c>double</c> or <c>float</c>; and class
/// labels (<c>int[]</c>), data that is read but never differentiated.
/// </summary>
internal enum NumType
{
    Double,
    Float,
    MatrixDouble,
    MatrixFloat,
    Labels,
}

internal static class NumTypeExtensions
{
    public static bool IsMatrix(this NumType type) => type is NumType.MatrixDouble or NumType.MatrixFloat;

    /// <summary>Whether values of the type can carry a derivative (labels are data).</summary>
    public static bool IsDifferentiable(this NumType type) => type != NumType.Labels;

    /// <summary>The element type: the type itself for a scalar.</summary>
    public static NumType Element(this NumType type) => type switch
    {
        NumType.MatrixDouble => NumType.Double,
        NumType.MatrixFloat => NumType.Float,
        _ => type,
    };

    public static string Keyword(this NumType type) => type switch
    {
        NumType.Float => "float",
        NumType.MatrixDouble => "global::GradGen.Matrix<double>",
        NumType.MatrixFloat => "global::GradGen.Matrix<float>",
        NumType.Labels => "int[]",
        _ => "double",
    };

    public static string MathClass(this NumType type) => type.Element() == NumType.Float ? "global::System.MathF" : "global::System.Math";
}
