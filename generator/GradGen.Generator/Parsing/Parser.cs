using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>
/// Phase 2: reads one <c>[Differentiable]</c> method through its syntax and semantic model and returns
/// an equatable <see cref="MethodModel"/> in A-normal form, or the diagnostics explaining why not.
/// Nothing Roslyn-owned leaves this class.
/// </summary>
internal sealed partial class Parser
{
    internal const string NoDerivativeAttribute = "GradGen.NoDerivativeAttribute";
    private const string CustomPullbackAttribute = "GradGen.CustomPullbackAttribute";
    private const string CustomPushforwardAttribute = "GradGen.CustomPushforwardAttribute";
    private const string WorkspaceType = "GradGen.Workspace";
    private const string MatrixType = "GradGen.Matrix<T>";
    private const string MatrixFunctions = "GradGen.Matrix";

    /// <summary>The semantic model of the code being read: the method's, or a callee's while it is read in place.</summary>
    private SemanticModel _semantics;
    private readonly MethodDeclarationSyntax _syntax;
    private readonly IMethodSymbol _method;
    private readonly CancellationToken _cancellation;
    private readonly List<DiagnosticInfo> _diagnostics = [];
    /// <summary>The steps of the block being read: the method's, or a branch's while it is read.</summary>
    private List<Step> _steps = [];
    /// <summary>The current value of each parameter and local.</summary>
    private Dictionary<ISymbol, Value> _values = new(SymbolEqualityComparer.Default);
    private readonly NameAllocator _names;
    private bool _hasCompilerErrors;
    /// <summary>The files of the other methods whose bodies this parse read (callees read in place, or looked at to decide).</summary>
    private readonly HashSet<SyntaxTree> _bodiesRead = [];
    /// <summary>Set once the stack ran short (reported as GG0107): nothing more is read.</summary>
    private bool _tooDeep;
    /// <summary>Operands read ahead of their expression (see <see cref="VisitLeftOperands"/>), taken once.</summary>
    private readonly Dictionary<ExpressionSyntax, Value> _visited = [];
    /// <summary>Whether the paths read so far have returned, and with what.</summary>
    private Exit _exit = Exit.None;
    private int _branchDepth;
    private int _loopDepth;

    /// <summary>What an expression evaluates to: an operand and its type.</summary>
    private readonly record struct Value(Operand Operand, NumType Type);

    /// <summary>
    /// Where the paths read so far stand: <see cref="Returned"/> is 0 when none has returned, 1 when all have, and an
    /// <c>int</c> flag variable when some have; <see cref="Result"/> is the returned value on the paths that returned.
    /// </summary>
    private readonly record struct Exit(Operand Returned, Value? Result, bool IsFailed = false)
    {
        public static Exit None => new(Operand.Const(0), null);

        /// <summary>A path whose reading failed (reported): nothing after it is read.</summary>
        public static Exit Failed => new(Operand.Const(1), null, IsFailed: true);

        public bool HasReturned => Returned is { IsConstant: true, Constant: 1 };
    }

    /// <summary>The [Differentiable] attribute as written, when it asks for forward mode (<c>Pushforward = true</c>, or <c>Hessian = true</c>, which uses it).</summary>
    private readonly SyntaxNode? _pushforward;

    /// <summary>Whether the attribute asks for second order (<c>Hessian = true</c>).</summary>
    private readonly bool _hessian;

    /// <summary>Whether the attribute asks for the Jacobian (<c>Jacobian = true</c>).</summary>
    private readonly bool _jacobian;

    private Parser(SemanticModel semantics, MethodDeclarationSyntax syntax, IMethodSymbol method, SyntaxNode? pushforward, bool hessian, bool jacobian, CancellationToken cancellation)
    {
        _pushforward = pushforward;
        _hessian = hessian;
        _jacobian = jacobian;
        _semantics = semantics;
        _syntax = syntax;
        _method = method;
        _cancellation = cancellation;
        var written = syntax.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText);
        _names = new NameAllocator(method.Parameters.Select(p => Identifier(p.Name)), written);
    }

    /// <summary>The method's model and diagnostics: parsed again only when its meaning may have changed (<see cref="ParseCache"/>).</summary>
    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation) =>
        ParseCache.GetOrParse(context, cancellation, ParseAgain);

    /// <summary>Parses the method; also returns the files whose method bodies the parse read besides the method's own.</summary>
    private static (ParseResult Result, SyntaxTree[] BodiesRead) ParseAgain(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        Parser? parser = null;
        var result = Read(context, cancellation, ref parser);
        return (result, parser?._bodiesRead.ToArray() ?? []);
    }

    private static ParseResult Read(GeneratorAttributeSyntaxContext context, CancellationToken cancellation, ref Parser? parser)
    {
        try
        {
            if (context.TargetNode is not MethodDeclarationSyntax { ExplicitInterfaceSpecifier: null } syntax || context.TargetSymbol is not IMethodSymbol method)
            {
                return NotAMethod(context, cancellation);
            }
            // A method with syntax errors, or outside a type (after a stray '}'), has the compiler's errors; output would only add to them.
            if (syntax.Parent is not TypeDeclarationSyntax || syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
            {
                return new ParseResult(null, default);
            }
            // Deeper than this, binding alone (the compiler's, when asked for a type) may exhaust an IDE thread's stack.
            if (TooDeep(syntax) is { } deep)
            {
                return new ParseResult(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.TooDeeplyNested, deep.GetLocation()) }.ToEquatableArray());
            }
            var attribute = context.Attributes.First();
            var modes = Modes(attribute);
            var pushforward = modes.Pushforward ? attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) ?? syntax : null;
            parser = new Parser(context.SemanticModel, syntax, method, pushforward, modes.Hessian, modes.Jacobian, cancellation);
            return parser.Parse();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var location = context.TargetNode is MethodDeclarationSyntax m ? m.Identifier.GetLocation() : context.TargetNode.GetLocation();
            var error = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, location, context.TargetSymbol.Name, e.GetType().Name + ": " + e.Message);
            return new ParseResult(null, new[] { error }.ToEquatableArray());
        }
    }

    /// <summary>
    /// How deeply a method may nest expressions and statements (parentheses, calls, conditional operators, blocks); a chain
    /// of binary operators (a long sum) does not nest.
    /// </summary>
    internal const int MaxDepth = 200;

    /// <summary>The first node nested deeper than <see cref="MaxDepth"/>, found without recursion; null if there is none.</summary>
    private static SyntaxNode? TooDeep(SyntaxNode root)
    {
        var pending = new Stack<(SyntaxNode Node, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > MaxDepth) return node;
            foreach (var child in node.ChildNodes())
            {
                var nests = child is ExpressionSyntax or StatementSyntax && !(node is BinaryExpressionSyntax binary && child == binary.Left && child is BinaryExpressionSyntax);
                pending.Push((child, nests ? depth + 1 : depth));
            }
        }
        return null;
    }

    /// <summary>[Differentiable] on an operator, a conversion, an accessor, a local function or a lambda: GG0007 on the attribute.</summary>
    private static ParseResult NotAMethod(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var what = context.TargetNode switch
        {
            MethodDeclarationSyntax => "an explicit interface implementation",
            OperatorDeclarationSyntax => "an operator",
            ConversionOperatorDeclarationSyntax => "a conversion operator",
            AccessorDeclarationSyntax => "an accessor",
            LocalFunctionStatementSyntax => "a local function",
            AnonymousFunctionExpressionSyntax => "a lambda",
            ConstructorDeclarationSyntax or DestructorDeclarationSyntax => "a constructor or finalizer",
            _ => "'" + context.TargetSymbol.Name + "'",
        };
        var attribute = context.Attributes.FirstOrDefault()?.ApplicationSyntaxReference?.GetSyntax(cancellation) ?? context.TargetNode;
        return new ParseResult(null, new[] { DiagnosticInfo.Create(DiagnosticDescriptors.NotAMethod, attribute.GetLocation(), what) }.ToEquatableArray());
    }

    private ParseResult Parse()
    {
        var types = ContainingTypes();
        var signatureIsValid = CheckSignature();
        if (!signatureIsValid || types is null) return Result(null);

        ReadModels();
        // The members' problems are reported once per model type (see GradientGenerator).
        if (_models is not null && _models.Values.Any(m => m.Spec.Diagnostics.Count > 0)) return Result(null);

        var parameters = _parameters = _method.Parameters
            .Select(ParameterOf)
            .ToEquatableArray();
        // A model's method differentiates the members it reads, found while reading its body.
        if (_models is null && !parameters.Any(p => p.IsDifferentiated))
        {
            Report(DiagnosticDescriptors.NothingToDifferentiate, _syntax.Identifier, _method.Name);
            return Result(null);
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            _values[_method.Parameters[i]] = new Value(Operand.Var(parameters[i].Name), parameters[i].Type);
        }

        if (_syntax.ExpressionBody is { } arrow) _exit = Visit(arrow.Expression, "result") is { } value ? new Exit(Operand.Const(1), value) : Exit.Failed;
        else VisitStatements(_syntax.Body!.Statements);
        if (_exit is not { HasReturned: true, Result: { } result } || _diagnostics.Count > 0 || _hasCompilerErrors) return Result(null);
        if (_models is not null)
        {
            parameters = parameters.Concat(_members.Values).ToEquatableArray();
            if (!parameters.Any(p => p.IsDifferentiated) && !CallsModels(_steps))
            {
                Report(DiagnosticDescriptors.NothingToDifferentiate, _syntax.Identifier, _method.Name);
                return Result(null);
            }
        }
        if (_pushforward is not null && Uncovered(parameters) is { } missing)
        {
            Report(_hessian ? DiagnosticDescriptors.NoHessian : DiagnosticDescriptors.NoPushforward, _pushforward, _method.Name, missing);
            return Result(null);
        }
        if (_jacobian && parameters.FirstOrDefault(p => p.IsDifferentiated && p.Type.IsArray() && p.Type.Item().IsMatrix()) is { } list)
        {
            Report(DiagnosticDescriptors.NoJacobian, _pushforward!, _method.Name, list.Name.TrimStart('@'));
            return Result(null);
        }
        // The declaration's errors too (a duplicate method, an invalid modifier): output would repeat them in generated files.
        if (_semantics.GetDiagnostics(_syntax.Span, _cancellation).Any(d => d.Severity == DiagnosticSeverity.Error)) return Result(null);

        var model = new MethodModel(
            HintName(),
            _method.ContainingNamespace.IsGlobalNamespace ? null : _method.ContainingNamespace.ToDisplayString(),
            types.ToEquatableArray(),
            Accessibility(_method.DeclaredAccessibility),
            _method.Name,
            TypeOf(_method.ReturnType)!.Value,
            parameters,
            _steps.ToEquatableArray(),
            result.Operand,
            Pushforward: _pushforward is not null,
            Hessian: _hessian,
            Jacobian: _jacobian,
            Models: _roots.Values.Select(r => r.Root).ToEquatableArray());
        // Over matrices, second order needs a tangent for each runtime function the gradient calls: found by building it.
        if (_hessian && (model.ReturnType.IsMatrix() || parameters.Any(p => p.Type.Item().IsMatrix())) && SecondOrder.Uncovered(model) is { } function)
        {
            Report(DiagnosticDescriptors.NoHessian, _pushforward!, _method.Name, function);
            return Result(null);
        }
        return Result(model);
    }

    /// <summary>Whether the steps call a model's method (whose parameters are then differentiated).</summary>
    private static bool CallsModels(IEnumerable<Step> steps) => steps.Any(step => step switch
    {
        CallStep call => call.Receiver is not null,
        IfStep branch => CallsModels(branch.Then) || CallsModels(branch.Else),
        LoopStep loop => CallsModels(loop.Header) || CallsModels(loop.Body),
        _ => false,
    });

    private ParseResult Result(MethodModel? model) =>
        new(model, _diagnostics.ToEquatableArray(), _models?.Values.Select(m => m.Spec).ToEquatableArray() ?? default);

    /// <summary>
    /// What the modes the method asks for do not cover yet, or null: calls of methods without a pushforward (or, for second
    /// order, a pullback with tangents) of their own: a [CustomPullback] rule, or a [Differentiable] method without
    /// <c>Pushforward = true</c> (<c>Hessian = true</c>); for second order, matrices.
    /// </summary>
    private string? Uncovered(EquatableArray<Parameter> parameters)
    {
        var hessian = _hessian;
        if (hessian && parameters.Any(p => p.IsDifferentiated && p.Type.IsArray() && p.Type.Item().IsMatrix()))
        {
            return "arrays of matrices";
        }
        CallStep? Call(IEnumerable<Step> steps) => steps.Select(step => step switch
        {
            CallStep { Pullback: not null } call when call.Pushforward is null || hessian && call.HessianPullback is null => call,
            IfStep branch => Call(branch.Then) ?? Call(branch.Else),
            LoopStep loop => Call(loop.Header) ?? Call(loop.Body),
            _ => null,
        }).FirstOrDefault(call => call is not null);
        return Call(_steps) is not { } call ? null
            : hessian ? $"the call of '{call.Function.Replace("global::", "")}', which has no second order (mark it [Differentiable(Hessian = true)])"
            : $"the call of '{call.Function.Replace("global::", "")}', which has no pushforward (mark it [Differentiable(Pushforward = true)], or give a [CustomPullback] rule a [CustomPushforward])";
    }


    private List<ContainingType>? ContainingTypes()
    {
        var types = new List<ContainingType>();
        var allPartial = true;
        for (var node = _syntax.Parent as TypeDeclarationSyntax; node is not null; node = node.Parent as TypeDeclarationSyntax)
        {
            if (!node.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                Report(DiagnosticDescriptors.TypeNotPartial, node.Identifier, node.Identifier.ValueText, _method.Name);
                allPartial = false;
            }
            if (node.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                Report(DiagnosticDescriptors.FileLocalType, node.Identifier, node.Identifier.ValueText, _method.Name);
                allPartial = false;
            }
            var keyword = Keyword(node);
            if (node.Modifiers.Any(SyntaxKind.RefKeyword)) keyword = "ref " + keyword;
            var typeParameters = node.TypeParameterList is { } list
                ? "<" + string.Join(", ", list.Parameters.Select(p => (p.VarianceKeyword.ValueText + " " + p.Identifier.ValueText).Trim())) + ">"
                : "";
            types.Insert(0, new ContainingType(keyword, node.Identifier.ValueText + typeParameters));
        }
        return allPartial ? types : null;
    }

    /// <summary>How a partial declaration of the type is written: <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>, <c>interface</c>.</summary>
    internal static string Keyword(TypeDeclarationSyntax node) => node switch
    {
        RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
        _ => node.Keyword.ValueText,
    };

    private bool CheckSignature()
    {
        // An instance method of a static class is the compiler's error (CS0708); a model of that class would only add
        // errors in the generated files (a static class as a parameter type, implementing an interface).
        if (!_method.IsStatic && _method.ContainingType.IsStatic) return false;
        var valid = true;
        if (!_method.IsStatic && ModelProblem() is { } problem)
        {
            Report(DiagnosticDescriptors.MethodNotStatic, _syntax.Identifier, _method.Name, problem);
            valid = false;
        }
        if ((!_method.IsStatic || _method.Parameters.Any(p => IsModelType(p.Type))) && _pushforward is not null)
        {
            Report(DiagnosticDescriptors.ModelMode, _pushforward, _method.Name, _hessian ? "Hessian" : _jacobian ? "Jacobian" : "Pushforward");
            valid = false;
        }
        if (_method.IsGenericMethod)
        {
            Report(DiagnosticDescriptors.GenericMethod, _syntax.TypeParameterList!, _method.Name);
            valid = false;
        }
        if (_syntax.Body is null && _syntax.ExpressionBody is null)
        {
            Report(DiagnosticDescriptors.MethodWithoutBody, _syntax.Identifier, _method.Name);
            valid = false;
        }
        if (_method.ReturnsByRef || _method.ReturnsByRefReadonly || TypeOf(_method.ReturnType) is not { } returned || !returned.IsDifferentiable() || returned.IsArray())
        {
            Report(DiagnosticDescriptors.UnsupportedReturnType, _syntax.ReturnType, _method.Name, _syntax.ReturnType.ToString());
            valid = false;
        }
        var generatedNames = (_method.ReturnType.TypeKind == TypeKind.Error || TypeOf(_method.ReturnType)?.IsMatrix() == true ? ["Pullback"] : new[] { "WithGradient", "Pullback" })
            .Concat(HasValueMethod(_method) ? ["Value"] : Array.Empty<string>())
            .Concat(_pushforward is null ? [] : ["Pushforward"])
            .Concat(_hessian ? ["HessianVectorProduct", "Hessian", "HessianPullback"] : Array.Empty<string>())
            .Concat(_jacobian ? ["Jacobian"] : Array.Empty<string>());
        foreach (var generated in generatedNames)
        {
            if (_method.ContainingType.GetMembers(_method.Name + generated).IsEmpty) continue;
            Report(DiagnosticDescriptors.GeneratedNameTaken, _syntax.Identifier, _method.ContainingType.Name, _method.Name + generated, _method.Name);
            valid = false;
        }
        foreach (var parameter in _method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.IsParams || TypeOf(parameter.Type) is null && !IsModelType(parameter.Type))
            {
                var location = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellation) ?? _syntax.ParameterList;
                Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, parameter.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                valid = false;
            }
        }
        return valid;
    }

    /// <summary>Whether GradGen writes <c>FValue(…, workspace)</c> for the method: for a model's method or one over matrices (the emitter's rule).</summary>
    private static bool HasValueMethod(IMethodSymbol method) =>
        !method.IsStatic || TypeOf(method.ReturnType)?.IsMatrix() == true || method.Parameters.Any(p => TypeOf(p.Type)?.Item().IsMatrix() == true || IsModelType(p.Type));

    /// <summary>Why the instance method's type cannot be a model, or null if it can.</summary>
    private string? ModelProblem()
    {
        for (var type = _method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct)) return $"'{type.Name}' is not a class, struct or record";
            if (type.IsRefLikeType) return $"'{type.Name}' is a ref struct, which a gradient cannot refer to";
            if (type.IsGenericType) return $"'{type.Name}' is generic, and generic models are not supported";
        }
        return null;
    }

    /// <summary>
    /// The generated file's name, unique by construction and legal on every file system: the namespace and containing
    /// types (with their arity, <c>Box-1</c>), the method, and for overloads the parameter types: <c>N.Box-1.F-double_float.g.cs</c>.
    /// Identifiers never contain '-', so two methods never share a name.
    /// </summary>
    private string HintName()
    {
        var name = TypePath(_method.ContainingType) + "." + _method.Name;
        var overloaded = _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GradientGenerator.DifferentiableAttribute)) > 1;
        if (overloaded) name += "-" + string.Join("_", _method.Parameters.Select(p => TypeOf(p.Type)?.HintName() ?? p.Type.Name));
        return name + ".g.cs";
    }

    /// <summary>The namespace and the types down to <paramref name="type"/>, with their arity: <c>N.Box-1.Inner</c>, the start of a hint name.</summary>
    internal static string TypePath(INamedTypeSymbol type)
    {
        var types = new List<string>();
        for (var t = type; t is not null; t = t.ContainingType)
        {
            types.Insert(0, t.Name + (t.Arity > 0 ? "-" + t.Arity.ToString(System.Globalization.CultureInfo.InvariantCulture) : ""));
        }
        if (!type.ContainingNamespace.IsGlobalNamespace) types.Insert(0, type.ContainingNamespace.ToDisplayString());
        return string.Join(".", types);
    }

    internal static NumType? TypeOf(ITypeSymbol? type) => type switch
    {
        { SpecialType: SpecialType.System_Double } => NumType.Double,
        { SpecialType: SpecialType.System_Single } => NumType.Float,
        { SpecialType: SpecialType.System_Int32 } => NumType.Int,
        IArrayTypeSymbol { Rank: 1, ElementType.SpecialType: SpecialType.System_Int32 } => NumType.Labels,
        IArrayTypeSymbol { Rank: 1 } array => TypeOf(array.ElementType) switch
        {
            NumType.Double => NumType.DoubleArray,
            NumType.Float => NumType.FloatArray,
            NumType.MatrixDouble => NumType.MatrixDoubleArray,
            NumType.MatrixFloat => NumType.MatrixFloatArray,
            _ => null,
        },
        INamedTypeSymbol { TypeArguments.Length: 1 } named when named.OriginalDefinition.ToDisplayString() == MatrixType =>
            named.TypeArguments[0].SpecialType switch
            {
                SpecialType.System_Double => NumType.MatrixDouble,
                SpecialType.System_Single => NumType.MatrixFloat,
                _ => null,
            },
        _ => null,
    };

    private static ITypeSymbol TypeOfSymbol(ISymbol symbol) => symbol switch
    {
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        _ => throw new ArgumentException("Not a variable.", nameof(symbol)),
    };

    /// <summary>A parameter is differentiated unless it is [NoDerivative] or integer data.</summary>
    private static Parameter ParameterOf(IParameterSymbol parameter)
    {
        // A model: what the method reads of it are its members (see Parser.Models).
        if (TypeOf(parameter.Type) is null)
        {
            return new Parameter(Identifier(parameter.Name), NumType.Int, false, Model: Qualified((INamedTypeSymbol)parameter.Type), IsClassModel: !parameter.Type.IsValueType);
        }
        var type = TypeOf(parameter.Type)!.Value;
        return new Parameter(Identifier(parameter.Name), type, type.IsDifferentiable() && !HasNoDerivative(parameter));
    }

    private static bool HasNoDerivative(IParameterSymbol parameter) =>
        parameter.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == NoDerivativeAttribute);

    private static string Identifier(string name) => SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    private static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };

    private static string StatementName(StatementSyntax statement) => statement switch
    {
        ForEachStatementSyntax => "'foreach' loop (write it as 'for (int i = 0; i < xs.Length; i++)')",
        DoStatementSyntax => "'do' loop (write it as a 'while' loop)",
        ExpressionStatementSyntax => "expression statement (only assignments to locals are supported)",
        _ => "'" + statement.Kind().ToString().Replace("Statement", "") + "' statement",
    };

    private static string Describe(ExpressionSyntax expression) => expression.Kind() switch
    {
        SyntaxKind.PreIncrementExpression or SyntaxKind.PostIncrementExpression or
        SyntaxKind.PreDecrementExpression or SyntaxKind.PostDecrementExpression => "an increment or decrement",
        SyntaxKind.SimpleAssignmentExpression => "an assignment inside an expression",
        _ => expression.Kind().ToString(),
    };

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] args) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, node.GetLocation(), args));

    private void Report(DiagnosticDescriptor descriptor, SyntaxToken token, params string[] args) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, token.GetLocation(), args));
}
