namespace GradGen.Generator.Model;

/// <summary>
/// A model: a type whose <c>[Differentiable]</c> instance methods read its members, or a type a model holds as a layer.
/// GradGen emits its <c>Gradient</c> type (the same members shaped like the parameters) and its parameter visitors.
/// </summary>
/// <param name="HintName">The generated file's name.</param>
/// <param name="ContainingTypes">Outermost first, the model type itself last.</param>
/// <param name="FullName">The type as generated code names it, e.g. <c>global::Demo.Mlp</c>.</param>
/// <param name="Number">The number type of every parameter: <c>Double</c> or <c>Float</c>.</param>
/// <param name="Diagnostics">What is wrong with its members (reported once per type, whichever method found it); nothing is emitted then.</param>
internal sealed record ModelType(
    string HintName,
    string? Namespace,
    EquatableArray<ContainingType> ContainingTypes,
    string FullName,
    NumType Number,
    EquatableArray<ModelMember> Members,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>A parameter member of a model.</summary>
/// <param name="Name">The member's C# name.</param>
/// <param name="SavedName">Its name in a file and to visitors: the PyTorch convention, snake_case (<c>OutputLayer</c> → <c>output_layer</c>).</param>
/// <param name="Model">For <see cref="MemberKind.Model"/> and <see cref="MemberKind.Models"/>: the layer type's full name.</param>
/// <param name="Count">For arrays and lists: <c>Length</c> or <c>Count</c>.</param>
internal sealed record ModelMember(string Name, string SavedName, MemberKind Kind, string? Model = null, string Count = "Length");

/// <summary>What a model member holds.</summary>
internal enum MemberKind
{
    /// <summary>A <c>double</c> or <c>float</c> field.</summary>
    Number,
    /// <summary>An array of numbers.</summary>
    Numbers,
    Matrix,
    /// <summary>An array of matrices.</summary>
    Matrices,
    /// <summary>Another model (a layer).</summary>
    Model,
    /// <summary>An array or list of models (layers).</summary>
    Models,
}
