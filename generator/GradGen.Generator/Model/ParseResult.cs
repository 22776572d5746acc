namespace GradGen.Generator.Model;

/// <summary>
/// What parsing one method yields: a model to emit (null if the method has errors) and its diagnostics; for a model's
/// method, the model types it reads (each emitted, and its members' diagnostics reported, once however many methods read it).
/// </summary>
internal sealed record ParseResult(MethodModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, EquatableArray<ModelType> Models = default);
