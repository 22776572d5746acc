using System;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace GradGen.Generator;

/// <summary>
/// GradGen's incremental generator. One pipeline in one direction:
/// discover (<c>[Differentiable]</c> methods) → parse (<see cref="Parser"/>, an equatable model) →
/// differentiate (<see cref="Differentiator"/>, reverse mode; <see cref="Tangents"/>, forward mode when asked for) →
/// simplify (<see cref="Simplifier"/>) → emit (<see cref="Emitter"/>).
/// Source and diagnostics leave through separate outputs, so that moving code re-reports
/// diagnostics without re-emitting source.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class GradientGenerator : IIncrementalGenerator
{
    internal const string DifferentiableAttribute = "GradGen.DifferentiableAttribute";

    /// <summary>Names of the tracked pipeline steps, for incrementality tests.</summary>
    public static class Steps
    {
        public const string Parse = nameof(Parse);
        public const string Model = nameof(Model);
        public const string Diagnostics = nameof(Diagnostics);
        public const string ModelTypes = nameof(ModelTypes);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                DifferentiableAttribute,
                // Every node the attribute can be on (methods, operators, accessors, local functions, lambdas): the parser reports those it cannot take.
                predicate: static (_, _) => true,
                transform: Parser.Parse)
            .WithTrackingName(Steps.Parse);

        var diagnostics = parsed.Select(static (result, _) => result.Diagnostics).WithTrackingName(Steps.Diagnostics);
        context.RegisterSourceOutput(diagnostics, static (output, diagnostics) =>
        {
            foreach (var diagnostic in diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        });

        var models = parsed.Select(static (result, _) => result.Model).Where(static model => model is not null).WithTrackingName(Steps.Model);
        context.RegisterSourceOutput(models, static (output, model) => Generate(output, model!));

        // Each model type once, however many of its (and its parents') methods read it: its gradient type, or its members' problems.
        var modelTypes = parsed.SelectMany(static (result, _) => result.Models)
            .Collect()
            .SelectMany(static (types, _) => types.GroupBy(type => type.FullName).Select(group => group.First()))
            .WithTrackingName(Steps.ModelTypes);
        context.RegisterSourceOutput(modelTypes, static (output, type) => GenerateModel(output, type));
    }

    private static void GenerateModel(SourceProductionContext output, ModelType type)
    {
        foreach (var diagnostic in type.Diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        if (type.Diagnostics.Count > 0) return;
        try
        {
            output.AddSource(type.HintName, SourceText.From(ModelEmitter.Emit(type), System.Text.Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = new DiagnosticInfo(DiagnosticDescriptors.InternalError.Id, null, new[] { type.FullName, e.GetType().Name + ": " + e.Message }.ToEquatableArray());
            output.ReportDiagnostic(error.ToDiagnostic());
        }
    }

    private static void Generate(SourceProductionContext output, MethodModel model)
    {
        try
        {
            var gradient = Simplifier.Simplify(Differentiator.Differentiate(model));
            var source = model.Pushforward || model.Hessian
                ? Emitter.Emit(gradient, model.Pushforward ? Tangents.Differentiate(gradient) : null, model.Hessian ? SecondOrder.Differentiate(gradient) : null, model.Jacobian)
                : Emitter.Emit(BackwardFusion.Fuse(ForwardFusion.Fuse(gradient)));
            output.AddSource(model.HintName, SourceText.From(source, System.Text.Encoding.UTF8));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = new DiagnosticInfo(DiagnosticDescriptors.InternalError.Id, null, new[] { model.Name, e.GetType().Name + ": " + e.Message }.ToEquatableArray());
            output.ReportDiagnostic(error.ToDiagnostic());
        }
    }
}
