namespace GradGen.Generator.Model;

/// <summary>What parsing one method yields: a model to emit (null if the method has errors) and its diagnostics.</summary>
internal sealed record ParseResult(MethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics);
