using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace GradGen.Generator;

/// <summary>
/// Every diagnostic GradGen reports. IDs are grouped: GG00xx usage errors, GG01xx constructs the
/// generator cannot differentiate, GG02xx warnings, GG09xx internal failures. Each has a page under
/// docs/diagnostics.
/// </summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "GradGen";
    /// <summary>Where the doc pages live: under the repository address the build gives (Directory.Build.props).</summary>
    private static readonly string HelpRoot = typeof(DiagnosticDescriptors).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
        .OfType<System.Reflection.AssemblyMetadataAttribute>().First(a => a.Key == "RepositoryUrl").Value!.TrimEnd('/') + "/blob/main/docs/diagnostics/";

    public static readonly DiagnosticDescriptor TypeNotPartial = Error("GG0001",
        "Containing type must be partial",
        "Type '{0}' must be declared 'partial' so that GradGen can add the gradient of '{1}' to it");

    public static readonly DiagnosticDescriptor MethodNotStatic = Error("GG0002",
        "Differentiable method must be static or a model's",
        "Method '{0}' must be 'static', or an instance method of a non-generic class, struct or record (a model), to be [Differentiable]; {1}");

    public static readonly DiagnosticDescriptor UnsupportedParameter = Error("GG0003",
        "Unsupported parameter",
        "Parameter '{0}' of type '{1}' is not supported: parameters of a [Differentiable] method must be 'double', 'float', 'Matrix<double>'/'Matrix<float>' values, arrays of them, 'int'/'int[]' data, or models (non-generic partial classes, structs or records) (no ref, out, in or params)");

    public static readonly DiagnosticDescriptor UnsupportedReturnType = Error("GG0004",
        "Unsupported return type",
        "Method '{0}' returns '{1}': a [Differentiable] method must return a 'double' or 'float' (a loss) or a 'Matrix<double>'/'Matrix<float>' (a layer)");

    public static readonly DiagnosticDescriptor MethodWithoutBody = Error("GG0005",
        "Differentiable method has no body",
        "Method '{0}' has no body to differentiate; give it a block or expression body");

    public static readonly DiagnosticDescriptor GenericMethod = Error("GG0006",
        "Generic method not supported",
        "Method '{0}' is generic: write it for 'double' or 'float' to make it [Differentiable]");

    public static readonly DiagnosticDescriptor NotAMethod = Error("GG0007",
        "Only methods can be differentiable",
        "[Differentiable] on {0} is not supported: GradGen differentiates static methods; move the computation into a static method of a partial type and call it from here");

    public static readonly DiagnosticDescriptor FileLocalType = Error("GG0008",
        "Containing type is file-local",
        "Type '{0}' is 'file'-local, so GradGen's generated file cannot add the gradient of '{1}' to it; remove the 'file' modifier");

    public static readonly DiagnosticDescriptor GeneratedNameTaken = Error("GG0009",
        "Generated method name already taken",
        "'{0}' already has a member named '{1}', the name of the method GradGen generates for '{2}'; rename one of them");

    public static readonly DiagnosticDescriptor UnsupportedModelMember = Error("GG0010",
        "Model member cannot be a parameter",
        "'{0}' cannot be a parameter of the model '{1}': {2}");

    public static readonly DiagnosticDescriptor ModelMode = Error("GG0011",
        "Mode not available for a model's method",
        "GradGen generates only the gradient (reverse mode) of '{0}', which reads a model, not '{1} = true' yet; remove it, or write the method as a static one taking the model's matrices and numbers");

    public static readonly DiagnosticDescriptor UnsupportedStatement = Error("GG0101",
        "Unsupported statement",
        "GradGen cannot differentiate this {0}; use declarations, assignments, if/else, 'for (int i = …; …; i++)' and 'while' loops, and 'return' outside loops");

    public static readonly DiagnosticDescriptor UnsupportedExpression = Error("GG0102",
        "Unsupported expression",
        "GradGen cannot differentiate {0}; {1}");

    public static readonly DiagnosticDescriptor NoDerivativeRule = Error("GG0103",
        "No derivative rule for call",
        "GradGen has no derivative rule for '{0}'; use an operator or a supported Math/MathF function ({1}), or mark your method [Differentiable], [CustomPullback] or [NoDerivative]");

    public static readonly DiagnosticDescriptor NoMatrixRule = Error("GG0104",
        "No derivative rule for matrix operation",
        "GradGen has no derivative rule for '{0}'; {1}");

    public static readonly DiagnosticDescriptor MatrixMemberNotDifferentiable = Error("GG0105",
        "Matrix element or member not differentiable",
        "GradGen cannot differentiate '{0}': {1}; a [Differentiable] method combines whole matrices with operators and Matrix functions");

    public static readonly DiagnosticDescriptor InvalidCustomPullback = Error("GG0106",
        "Custom pullback has the wrong signature",
        "The pullback '{0}' named by [CustomPullback] on '{1}' must exist and be declared as '{2}'");

    public static readonly DiagnosticDescriptor InvalidCustomPushforward = Error("GG0111",
        "Custom pushforward has the wrong signature",
        "The pushforward '{0}' named by [CustomPushforward] on '{1}' must exist and be declared as '{2}'");

    public static readonly DiagnosticDescriptor NoPushforward = Error("GG0108",
        "Forward mode not available for this method",
        "GradGen cannot generate the pushforward of '{0}': forward mode does not cover {1} yet; remove 'Pushforward = true' and use the pullback (reverse mode)");

    public static readonly DiagnosticDescriptor NoHessian = Error("GG0109",
        "Second order not available for this method",
        "GradGen cannot generate the Hessian of '{0}': second order does not cover {1} yet; remove 'Hessian = true' and use the gradient (or the pushforward)");

    public static readonly DiagnosticDescriptor NoJacobian = Error("GG0110",
        "Jacobian not available for this method",
        "GradGen cannot generate the Jacobian of '{0}': its parameter '{1}' is an array of matrices, whose numbers have no single order yet; pass the matrices as separate parameters, or mark '{1}' [NoDerivative]");

    public static readonly DiagnosticDescriptor TooDeeplyNested = Error("GG0107",
        "Expression too deeply nested",
        "This expression nests too deeply for GradGen to read it safely; split it into several statements with locals");

    public static readonly DiagnosticDescriptor NothingToDifferentiate = new("GG0201",
        "Nothing to differentiate",
        "'{0}' has no parameter to differentiate: each is [NoDerivative] or integer data ('int', 'int[]'); remove [Differentiable] or give it a 'double', 'float' or matrix parameter without [NoDerivative]",
        Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpRoot + "GG0201.md");

    public static readonly DiagnosticDescriptor InternalError = Error("GG0901",
        "Internal generator error",
        "GradGen failed on '{0}' ({1}); please report this with the method's code");

    private static readonly Dictionary<string, DiagnosticDescriptor> s_byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Select(f => f.GetValue(null))
        .OfType<DiagnosticDescriptor>()
        .ToDictionary(d => d.Id);

    public static DiagnosticDescriptor ById(string id) => s_byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpRoot + id + ".md");
}
