namespace GradGen.Generator.Model;

/// <summary>The floating-point types GradGen differentiates.</summary>
internal enum NumType
{
    Double,
    Float,
}

internal static class NumTypeExtensions
{
    public static string Keyword(this NumType type) => type == NumType.Float ? "float" : "double";

    public static string MathClass(this NumType type) => type == NumType.Float ? "global::System.MathF" : "global::System.Math";
}
