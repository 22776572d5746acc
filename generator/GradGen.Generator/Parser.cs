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
internal sealed class Parser
{
    private const string NoDerivativeAttribute = "GradGen.NoDerivativeAttribute";
    private const string CustomPullbackAttribute = "GradGen.CustomPullbackAttribute";
    private const string WorkspaceType = "GradGen.Workspace";
    private const string MatrixType = "GradGen.Matrix<T>";
    private const string MatrixFunctions = "GradGen.Matrix";

    private readonly SemanticModel _semantics;
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
    private int _branchDepth;
    private int _loopDepth;

    /// <summary>What an expression evaluates to: an operand and its type.</summary>
    private readonly record struct Value(Operand Operand, NumType Type);

    private Parser(SemanticModel semantics, MethodDeclarationSyntax syntax, IMethodSymbol method, CancellationToken cancellation)
    {
        _semantics = semantics;
        _syntax = syntax;
        _method = method;
        _cancellation = cancellation;
        var written = syntax.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText);
        _names = new NameAllocator(method.Parameters.Select(p => Identifier(p.Name)), written);
    }

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        var method = (IMethodSymbol)context.TargetSymbol;
        try
        {
            return new Parser(context.SemanticModel, syntax, method, cancellation).Parse();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var error = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, syntax.Identifier.GetLocation(), method.Name, e.GetType().Name + ": " + e.Message);
            return new ParseResult(null, new[] { error }.ToEquatableArray());
        }
    }

    private ParseResult Parse()
    {
        var types = ContainingTypes();
        var signatureIsValid = CheckSignature();
        if (!signatureIsValid || types is null) return Result(null);

        var parameters = _method.Parameters
            .Select(ParameterOf)
            .ToEquatableArray();
        if (!parameters.Any(p => p.IsDifferentiated))
        {
            Report(DiagnosticDescriptors.NothingToDifferentiate, _syntax.Identifier, _method.Name);
            return Result(null);
        }
        for (var i = 0; i < parameters.Count; i++)
        {
            _values[_method.Parameters[i]] = new Value(Operand.Var(parameters[i].Name), parameters[i].Type);
        }

        var result = _syntax.ExpressionBody is { } arrow ? Visit(arrow.Expression, "result") : VisitStatements(_syntax.Body!.Statements);
        if (result is null || _diagnostics.Count > 0 || _hasCompilerErrors) return Result(null);

        var model = new MethodModel(
            HintName(),
            _method.ContainingNamespace.IsGlobalNamespace ? null : _method.ContainingNamespace.ToDisplayString(),
            types.ToEquatableArray(),
            Accessibility(_method.DeclaredAccessibility),
            _method.Name,
            TypeOf(_method.ReturnType)!.Value,
            parameters,
            _steps.ToEquatableArray(),
            result.Value.Operand);
        return Result(model);
    }

    private ParseResult Result(MethodModel? model) => new(model, _diagnostics.ToEquatableArray());

    // ---- The method's shape -------------------------------------------------------------------

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
            var keyword = node switch
            {
                RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record",
                _ => node.Keyword.ValueText,
            };
            if (node.Modifiers.Any(SyntaxKind.RefKeyword)) keyword = "ref " + keyword;
            var typeParameters = node.TypeParameterList is { } list
                ? "<" + string.Join(", ", list.Parameters.Select(p => (p.VarianceKeyword.ValueText + " " + p.Identifier.ValueText).Trim())) + ">"
                : "";
            types.Insert(0, new ContainingType(keyword, node.Identifier.ValueText + typeParameters));
        }
        return allPartial ? types : null;
    }

    private bool CheckSignature()
    {
        var valid = true;
        if (!_method.IsStatic)
        {
            Report(DiagnosticDescriptors.MethodNotStatic, _syntax.Identifier, _method.Name);
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
        foreach (var parameter in _method.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.IsParams || TypeOf(parameter.Type) is null)
            {
                var location = parameter.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellation) ?? _syntax.ParameterList;
                Report(DiagnosticDescriptors.UnsupportedParameter, location, parameter.Name, parameter.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat));
                valid = false;
            }
        }
        return valid;
    }

    private string HintName()
    {
        var name = _method.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat.WithGlobalNamespaceStyle(SymbolDisplayGlobalNamespaceStyle.Omitted)
            .WithGenericsOptions(SymbolDisplayGenericsOptions.None)) + "." + _method.Name;
        var overloaded = _method.ContainingType.GetMembers(_method.Name).OfType<IMethodSymbol>()
            .Count(m => m.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GradientGenerator.DifferentiableAttribute)) > 1;
        if (overloaded) name += "_" + string.Join("_", _method.Parameters.Select(p => p.Type.ToDisplayString()));
        return name + ".g.cs";
    }

    // ---- Statements -----------------------------------------------------------------------------

    /// <returns>The returned value when the statements end in a return on every path; null otherwise.</returns>
    private Value? VisitStatements(IReadOnlyList<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            _cancellation.ThrowIfCancellationRequested();
            switch (statements[i])
            {
                case BlockSyntax block:
                    return VisitStatements(block.Statements.Concat(statements.Skip(i + 1)).ToList());
                case ReturnStatementSyntax or IfStatementSyntax when _loopDepth > 0 && statements[i].DescendantNodesAndSelf().OfType<ReturnStatementSyntax>().Any():
                    Report(DiagnosticDescriptors.UnsupportedStatement, statements[i], "'return' inside a loop (assign the result to a variable and return it after the loop)");
                    return null;
                case ForStatementSyntax loop:
                    VisitFor(loop);
                    break;
                case WhileStatementSyntax loop:
                    VisitWhile(loop);
                    break;
                case ReturnStatementSyntax { Expression: { } returned }:
                    // Statements after a return are unreachable (the compiler warns about them). Inside a branch the
                    // value is a temporary: the merge of the branches' values is the result.
                    return Visit(returned, _branchDepth == 0 ? "result" : null);
                case IfStatementSyntax branch when Returns(branch.Statement) || (branch.Else is { } other && Returns(other.Statement)):
                    // An early return: the statements after the 'if' run only on the branch that does not return.
                    var rest = statements.Skip(i + 1).ToList();
                    var whenTrue = Statements(branch.Statement).Concat(Returns(branch.Statement) ? [] : rest).ToList();
                    var whenFalse = Statements(branch.Else?.Statement).Concat(branch.Else is { } e && Returns(e.Statement) ? [] : rest).ToList();
                    return VisitIf(branch.Condition, whenTrue, whenFalse, returns: true);
                case IfStatementSyntax branch:
                    VisitIf(branch.Condition, Statements(branch.Statement), Statements(branch.Else?.Statement), returns: false);
                    break;
                default:
                    VisitStatement(statements[i]);
                    break;
            }
        }
        return null;
    }

    private static bool Returns(StatementSyntax statement) => statement switch
    {
        ReturnStatementSyntax => true,
        BlockSyntax block => block.Statements.Count > 0 && Returns(block.Statements.Last()),
        IfStatementSyntax branch => Returns(branch.Statement) && branch.Else is { } other && Returns(other.Statement),
        _ => false,
    };

    // Not a collection expression: one would take SyntaxList's type, whose Add returns a new list, and stay empty.
    private static IReadOnlyList<StatementSyntax> Statements(StatementSyntax? statement) => statement switch
    {
        null => Array.Empty<StatementSyntax>(),
        BlockSyntax block => block.Statements,
        _ => new[] { statement },
    };

    /// <summary>
    /// Reads both branches into their own step lists; a variable they leave with different values gets a merge
    /// (an SSA φ). When both branches return, the returned values merge into the method's result.
    /// </summary>
    private Value? VisitIf(ExpressionSyntax conditionSyntax, IReadOnlyList<StatementSyntax> whenTrue, IReadOnlyList<StatementSyntax> whenFalse, bool returns)
    {
        if (VisitCondition(conditionSyntax) is not { } condition) return null;
        var (thenSteps, thenValues, thenResult) = VisitBranch(() => VisitStatements(whenTrue));
        var (elseSteps, elseValues, elseResult) = VisitBranch(() => VisitStatements(whenFalse));

        var merges = new List<Merge>();
        // Variables both branches can see afterwards: declared before the 'if' and assigned on both paths.
        foreach (var symbol in thenValues.Keys.Where(elseValues.ContainsKey).ToList())
        {
            if (_values.TryGetValue(symbol, out var before) && thenValues[symbol] == before && elseValues[symbol] == before) continue;
            if (thenValues[symbol].Operand == elseValues[symbol].Operand)
            {
                _values[symbol] = thenValues[symbol];
                continue;
            }
            var type = TypeOf(TypeOfSymbol(symbol))!.Value;
            _values[symbol] = Merge(merges, Identifier(symbol.Name), type, thenValues[symbol], elseValues[symbol]);
        }
        Value? result = null;
        if (returns && thenResult is { } t && elseResult is { } e)
        {
            result = Merge(merges, "result", TypeOf(_method.ReturnType)!.Value, t, e);
        }
        _steps.Add(new IfStep(condition, thenSteps, elseSteps, merges.ToEquatableArray()));
        return result;
    }

    private Value Merge(List<Merge> merges, string? name, NumType type, Value whenTrue, Value whenFalse)
    {
        var target = name is null ? _names.Temp() : _names.Fresh(name);
        merges.Add(new Merge(target, type, whenTrue.Operand, whenFalse.Operand));
        return new Value(Operand.Var(target), type);
    }

    /// <summary>Reads one branch into its own steps, starting from the current values; restores the outer block after.</summary>
    private (EquatableArray<Step> Steps, Dictionary<ISymbol, Value> Values, Value? Result) VisitBranch(Func<Value?> visit)
    {
        var (steps, values) = (_steps, _values);
        _steps = [];
        _values = new Dictionary<ISymbol, Value>(values, SymbolEqualityComparer.Default);
        _branchDepth++;
        try
        {
            var result = visit();
            return (_steps.ToEquatableArray(), _values, result);
        }
        finally
        {
            (_steps, _values) = (steps, values);
            _branchDepth--;
        }
    }

    /// <summary><c>for (int i = from; condition; i++ / i-- / i += 1 / i -= 1)</c>.</summary>
    private void VisitFor(ForStatementSyntax loop)
    {
        var counter = loop.Declaration?.Variables.Count == 1 && loop.Initializers.Count == 0
            ? _semantics.GetDeclaredSymbol(loop.Declaration.Variables[0], _cancellation) as ILocalSymbol
            : null;
        var increment = loop.Incrementors.Count == 1 ? Increment(loop.Incrementors[0], counter) : 0;
        if (counter is null || TypeOf(counter.Type) != NumType.Int || loop.Declaration!.Variables[0].Initializer is null || loop.Condition is null || increment == 0)
        {
            Report(DiagnosticDescriptors.UnsupportedStatement, loop, "'for' loop: write it as 'for (int i = start; i < end; i++)' (or i--, i += 1, i -= 1)");
            return;
        }
        if (Visit(loop.Declaration.Variables[0].Initializer!.Value, null) is not { } from) return;
        var name = _names.Fresh(Identifier(counter.Name));
        _values[counter] = new Value(Operand.Var(name), NumType.Int);
        if (AssignedIn(loop.Statement, counter) is not { } carried) return;
        VisitLoop(carried, name, from.Operand, increment, loop.Condition, loop.Statement);
    }

    /// <summary><c>while (condition) { … }</c>: the condition is computed at the start of every iteration.</summary>
    private void VisitWhile(WhileStatementSyntax loop)
    {
        if (AssignedIn(loop.Statement, null) is not { } carried) return;
        VisitLoop(carried, null, Operand.Const(0), 0, loop.Condition, loop.Statement);
    }

    /// <summary>
    /// Reads a loop: each variable the body assigns gets a value inside the loop (from before the loop in the first
    /// iteration, from the previous iteration after) and a value after the loop; the body is read once, in its own steps.
    /// </summary>
    private void VisitLoop(List<ISymbol> assigned, string? counter, Operand from, int increment, ExpressionSyntax conditionSyntax, StatementSyntax body)
    {
        var (steps, values) = (_steps, _values);
        _values = new Dictionary<ISymbol, Value>(values, SymbolEqualityComparer.Default);
        var inside = assigned.ToDictionary(symbol => symbol, symbol => new Value(Operand.Var(_names.Fresh(Identifier(symbol.Name))), values[symbol].Type), SymbolEqualityComparer.Default);
        foreach (var pair in inside) _values[pair.Key] = pair.Value;
        _loopDepth++;
        try
        {
            // The condition is computed at the start of each iteration; the parts that cannot change (a bound such as
            // xs.Length) once, before the loop.
            _steps = [];
            var condition = VisitCondition(conditionSyntax);
            var variant = new HashSet<string>(inside.Values.Select(v => v.Operand.Variable!));
            if (counter is not null) variant.Add(counter);
            var header = new List<Step>();
            foreach (var step in _steps)
            {
                if (step is OpStep op && !op.Args.Any(a => a.Variable is { } v && variant.Contains(v)))
                {
                    steps.Add(step);
                    continue;
                }
                header.Add(step);
                variant.UnionWith(Targets(step));
            }
            _steps = [];
            VisitStatements(Statements(body));
            if (condition is null) return;

            var carried = new List<LoopVariable>();
            var exits = new Dictionary<ISymbol, Value>(SymbolEqualityComparer.Default);
            foreach (var symbol in assigned)
            {
                var type = values[symbol].Type;
                var next = _values.TryGetValue(symbol, out var last) ? last : inside[symbol];
                var exit = new Value(Operand.Var(_names.Fresh(Identifier(symbol.Name))), type);
                carried.Add(new LoopVariable(inside[symbol].Operand.Variable!, exit.Operand.Variable!, type, values[symbol].Operand, Convert(next, type).Operand));
                exits[symbol] = exit;
            }
            steps.Add(new LoopStep(counter, from, increment, header.ToEquatableArray(), condition, _steps.ToEquatableArray(), carried.ToEquatableArray()));
            foreach (var pair in exits) values[pair.Key] = pair.Value;
        }
        finally
        {
            (_steps, _values) = (steps, values);
            _loopDepth--;
        }
    }

    /// <summary>
    /// The variables from before the loop that its body assigns (loop-carried); null after reporting an assignment the
    /// loop cannot carry: the counter, or a variable not assigned before the loop.
    /// </summary>
    private List<ISymbol>? AssignedIn(StatementSyntax body, ILocalSymbol? counter)
    {
        var assigned = new List<ISymbol>();
        foreach (var assignment in body.DescendantNodes().OfType<AssignmentExpressionSyntax>())
        {
            var symbol = _semantics.GetSymbolInfo(assignment.Left, _cancellation).Symbol;
            if (symbol is null || assigned.Contains(symbol, SymbolEqualityComparer.Default)) continue;
            if (SymbolEqualityComparer.Default.Equals(symbol, counter))
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, assignment, $"assignment to the loop counter '{symbol.Name}' inside the loop");
                return null;
            }
            var declaredInside = symbol.DeclaringSyntaxReferences.Any(r => body.Span.Contains(r.Span));
            if (declaredInside || symbol is not (ILocalSymbol or IParameterSymbol)) continue;
            if (!_values.ContainsKey(symbol))
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, assignment.Left, $"'{symbol.Name}', assigned in a loop but not before it", "give it a value before the loop");
                return null;
            }
            assigned.Add(symbol);
        }
        return assigned;
    }

    private static IEnumerable<string> Targets(Step step) => step switch
    {
        OpStep op => [op.Target],
        CallStep call => [call.Target],
        IfStep branch => branch.Then.Concat(branch.Else).SelectMany(Targets).Concat(branch.Merges.Select(m => m.Target)),
        LoopStep loop => loop.Carried.Select(c => c.Exit),
        _ => [],
    };

    /// <summary>+1 or −1 for <c>i++</c>, <c>++i</c>, <c>i += 1</c> and their decrements; 0 for anything else.</summary>
    private int Increment(ExpressionSyntax incrementor, ILocalSymbol? counter)
    {
        var (operand, step) = incrementor switch
        {
            PostfixUnaryExpressionSyntax p => (p.Operand, p.IsKind(SyntaxKind.PostIncrementExpression) ? 1 : -1),
            PrefixUnaryExpressionSyntax p when p.IsKind(SyntaxKind.PreIncrementExpression) || p.IsKind(SyntaxKind.PreDecrementExpression) =>
                (p.Operand, p.IsKind(SyntaxKind.PreIncrementExpression) ? 1 : -1),
            AssignmentExpressionSyntax a when a.Kind() is SyntaxKind.AddAssignmentExpression or SyntaxKind.SubtractAssignmentExpression
                && _semantics.GetConstantValue(a.Right, _cancellation) is { HasValue: true, Value: 1 } =>
                (a.Left, a.IsKind(SyntaxKind.AddAssignmentExpression) ? 1 : -1),
            _ => (null, 0),
        };
        return operand is not null && SymbolEqualityComparer.Default.Equals(_semantics.GetSymbolInfo(operand, _cancellation).Symbol, counter) ? step : 0;
    }

    /// <summary>A branch condition: comparisons of scalar values joined by !, &amp;&amp; and ||.</summary>
    private Condition? VisitCondition(ExpressionSyntax syntax)
    {
        if (_semantics.GetConstantValue(syntax, _cancellation) is { HasValue: true, Value: bool constant }) return new BoolConstant(constant);
        switch (syntax)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return VisitCondition(parenthesized.Expression);
            case PrefixUnaryExpressionSyntax not when not.IsKind(SyntaxKind.LogicalNotExpression):
                return VisitCondition(not.Operand) is { } operand ? new Not(operand) : null;
            case BinaryExpressionSyntax logical when logical.IsKind(SyntaxKind.LogicalAndExpression) || logical.IsKind(SyntaxKind.LogicalOrExpression):
                var left = VisitCondition(logical.Left);
                var right = VisitCondition(logical.Right);
                return left is null || right is null ? null : new Logical(logical.OperatorToken.ValueText, left, right);
            case BinaryExpressionSyntax comparison when comparison.Kind() is SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression
                or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression or SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
                && !IsMatrix(comparison.Left) && !IsMatrix(comparison.Right):
                if (Visit(comparison.Left, null) is not { } a || Visit(comparison.Right, null) is not { } b) return null;
                var type = a.Type == NumType.Int && b.Type == NumType.Int ? NumType.Int : NumType.Double;
                return new Comparison(comparison.OperatorToken.ValueText, a.Operand, b.Operand, type);
            default:
                if (_semantics.GetTypeInfo(syntax, _cancellation).Type is null or IErrorTypeSymbol)
                {
                    _hasCompilerErrors = true;
                    return null;
                }
                Report(DiagnosticDescriptors.UnsupportedExpression, syntax, $"the condition '{syntax}'",
                    "a branch condition compares 'double' or 'float' values with <, <=, >, >=, == or != and joins comparisons with !, && and ||");
                return null;
        }
    }

    private void VisitStatement(StatementSyntax statement)
    {
        switch (statement)
        {
            case LocalDeclarationStatementSyntax declaration:
                VisitDeclaration(declaration);
                break;
            case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                VisitAssignment(assignment);
                break;
            case EmptyStatementSyntax:
                break;
            default:
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, StatementName(statement));
                break;
        }
    }

    private void VisitDeclaration(LocalDeclarationStatementSyntax declaration)
    {
        // A const local is folded into its uses through the semantic model's constant values.
        if (declaration.IsConst) return;
        foreach (var declarator in declaration.Declaration.Variables)
        {
            if (_semantics.GetDeclaredSymbol(declarator, _cancellation) is not ILocalSymbol local) continue;
            if (TypeOf(local.Type) is null)
            {
                Report(DiagnosticDescriptors.UnsupportedExpression, declarator, $"local '{local.Name}' of type '{local.Type.ToDisplayString()}'",
                    "locals must be 'double', 'float', 'int' or matrices");
                continue;
            }
            if (declarator.Initializer is { } initializer && Visit(initializer.Value, Identifier(local.Name)) is { } value)
            {
                _values[local] = value;
            }
        }
    }

    private void VisitAssignment(AssignmentExpressionSyntax assignment)
    {
        var target = _semantics.GetSymbolInfo(assignment.Left, _cancellation).Symbol;
        if (assignment.Left is not IdentifierNameSyntax || target is not (ILocalSymbol or IParameterSymbol) || TypeOf(TypeOfSymbol(target)) is not { } type)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment.Left, $"an assignment to '{assignment.Left}'",
                "only local variables and parameters of type 'double' or 'float' can be assigned");
            return;
        }

        var op = assignment.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => null,
            SyntaxKind.AddAssignmentExpression => DerivativeRules.Add,
            SyntaxKind.SubtractAssignmentExpression => DerivativeRules.Subtract,
            SyntaxKind.MultiplyAssignmentExpression => DerivativeRules.Multiply,
            SyntaxKind.DivideAssignmentExpression => DerivativeRules.Divide,
            _ => "",
        };
        if (op == "")
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment, $"the operator '{assignment.OperatorToken.ValueText}'",
                "use =, +=, -=, *= or /=");
            return;
        }
        if (op is null)
        {
            if (Visit(assignment.Right, Identifier(target.Name)) is { } assigned) _values[target] = assigned;
            return;
        }
        if (!_values.TryGetValue(target, out var current))
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, assignment.Left, $"'{target.Name}' before it is assigned", "assign it first");
            return;
        }
        if (Visit(assignment.Right, null) is not { } right) return;
        // C# computes 'f op= d' (float f, double d) in double and converts back.
        var opType = current.Type == NumType.Float && (right.Type == NumType.Float || right.Operand.IsConstant) ? NumType.Float : NumType.Double;
        var name = Identifier(target.Name);
        var result = Emit(op, opType, opType == type ? name : null, Convert(current, opType), Convert(right, opType));
        _values[target] = Convert(result, type, name);
    }

    // ---- Expressions ------------------------------------------------------------------------------

    /// <param name="name">The name for the step computing the expression's value (a local's name), or null for a temporary.</param>
    /// <returns>The value, or null after reporting a diagnostic.</returns>
    private Value? Visit(ExpressionSyntax expression, string? name)
    {
        var typeInfo = _semantics.GetTypeInfo(expression, _cancellation);
        var convertedType = TypeOf(typeInfo.ConvertedType);
        var constant = _semantics.GetConstantValue(expression, _cancellation);
        if (constant.HasValue && constant.Value is IConvertible number and not (string or bool or char))
        {
            return new Value(Operand.Const(System.Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture)), convertedType ?? NumType.Double);
        }
        if (typeInfo.Type is null or IErrorTypeSymbol)
        {
            // The compiler reports this error; a second diagnostic would only add noise.
            _hasCompilerErrors = true;
            return null;
        }
        if (ShapeOf(expression) is { } shape)
        {
            // x.Rows, x.Columns, x.Length: integers that enter the arithmetic as constants of the gradient.
            return Visit(shape.Of, null) is { } of ? Emit(shape.Op, convertedType ?? NumType.Double, name, of) : null;
        }
        if (MatrixMisuse(expression) is { } reason)
        {
            Report(DiagnosticDescriptors.MatrixMemberNotDifferentiable, expression, expression.ToString(), reason);
            return null;
        }
        if (convertedType is null || TypeOf(typeInfo.Type) is not { } type)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, expression, $"'{expression}' of type '{typeInfo.Type?.ToDisplayString() ?? "?"}'",
                "only 'double' and 'float' values can be differentiated");
            return null;
        }
        // An implicit conversion (float to double) is a step of its own.
        return type == convertedType
            ? VisitCore(expression, type, name)
            : VisitCore(expression, type, null) is { } inner ? Convert(inner, convertedType.Value, name) : null;
    }

    private Value? VisitCore(ExpressionSyntax expression, NumType type, string? name)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Visit(parenthesized.Expression, name);

            case IdentifierNameSyntax identifier:
                var symbol = _semantics.GetSymbolInfo(identifier, _cancellation).Symbol;
                if (symbol is not null && _values.TryGetValue(symbol, out var value)) return value;
                Report(DiagnosticDescriptors.UnsupportedExpression, identifier, $"'{identifier}'",
                    symbol is ILocalSymbol or IParameterSymbol
                        ? "assign it before it is read"
                        : "a [Differentiable] method reads only its parameters, locals and constants; pass other values as parameters");
                return null;

            case BinaryExpressionSyntax binary:
                var op = binary.Kind() switch
                {
                    SyntaxKind.AddExpression => DerivativeRules.Add,
                    SyntaxKind.SubtractExpression => DerivativeRules.Subtract,
                    SyntaxKind.MultiplyExpression => DerivativeRules.Multiply,
                    SyntaxKind.DivideExpression => DerivativeRules.Divide,
                    _ => null,
                };
                if (op is null)
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, binary, $"the operator '{binary.OperatorToken.ValueText}'",
                        "use +, -, * or / (and Math/MathF functions)");
                    return null;
                }
                if (Visit(binary.Left, null) is not { } left || Visit(binary.Right, null) is not { } right) return null;
                return EmitRule(binary, DerivativeRules.Operator(op, left.Type, right.Type), type, name, left, right);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return Visit(unary.Operand, name);

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
                return Visit(unary.Operand, null) is { } negated ? EmitRule(unary, DerivativeRules.Operator(DerivativeRules.Negate, type), type, name, negated) : null;

            case CastExpressionSyntax cast:
                return Visit(cast.Expression, null) is { } operand ? Convert(operand, type, name) : null;

            case InvocationExpressionSyntax invocation:
                return VisitCall(invocation, type, name);

            case ElementAccessExpressionSyntax { ArgumentList.Arguments.Count: 1 } access when TypeOf(_semantics.GetTypeInfo(access.Expression, _cancellation).Type)?.IsArray() == true:
                if (Visit(access.Expression, null) is not { } array || Visit(access.ArgumentList.Arguments[0].Expression, null) is not { } index) return null;
                return Emit(DerivativeRules.Item, type, name, array, index);

            case ConditionalExpressionSyntax conditional:
                if (VisitCondition(conditional.Condition) is not { } condition) return null;
                var (thenSteps, _, whenTrue) = VisitBranch(() => Visit(conditional.WhenTrue, null));
                var (elseSteps, _, whenFalse) = VisitBranch(() => Visit(conditional.WhenFalse, null));
                if (whenTrue is null || whenFalse is null) return null;
                var merges = new List<Merge>();
                var merged = Merge(merges, name, type, whenTrue.Value, whenFalse.Value);
                _steps.Add(new IfStep(condition, thenSteps, elseSteps, merges.ToEquatableArray()));
                return merged;

            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, expression, $"the expression '{expression}' ({Describe(expression)})",
                    "write it with operators, locals and Math/MathF functions");
                return null;
        }
    }

    private Value? VisitCall(InvocationExpressionSyntax invocation, NumType type, string? name)
    {
        var callee = _semantics.GetSymbolInfo(invocation, _cancellation).Symbol as IMethodSymbol;
        var ruleName = callee?.ContainingType.ToDisplayString() switch
        {
            "System.Math" or "System.MathF" when callee!.Parameters.All(p => TypeOf(p.Type) == type) => callee.Name,
            MatrixFunctions => "Matrix." + callee!.Name,
            _ => null,
        };
        if (ruleName == "Matrix.MatMul" && invocation.ArgumentList.Arguments.Count > 2)
        {
            Report(DiagnosticDescriptors.NoMatrixRule, invocation, "Matrix.MatMul with transposeA/transposeB",
                "write Matrix.MatMul(a, Matrix.Transpose(b)); the generated backward already uses transposed products without materializing them");
            return null;
        }
        if (callee is not null && ruleName is null && UserRule(callee) is { } user) return VisitUserCall(invocation, callee, user, type, name);
        if (callee is null || ruleName is null || !DerivativeRules.TryGet(ruleName, out var rule) || rule.IsConstant || rule.Arity != invocation.ArgumentList.Arguments.Count)
        {
            if (ruleName is not null && ruleName.StartsWith("Matrix.", StringComparison.Ordinal))
            {
                Report(DiagnosticDescriptors.NoMatrixRule, invocation, ruleName,
                    "the differentiable matrix operations are the operators + - * / and Matrix." + string.Join(", ", DerivativeRules.MatrixFunctions.OrderBy(n => n, StringComparer.Ordinal)));
                return null;
            }
            var calleeName = callee is null ? invocation.Expression.ToString() : callee.ContainingType.Name + "." + callee.Name;
            Report(DiagnosticDescriptors.NoDerivativeRule, invocation, calleeName);
            return null;
        }
        return ArgumentsOf(invocation, callee, rule.Arity) is { } arguments ? Emit(rule.Op, type, name, arguments) : null;
    }

    /// <summary>The arguments in parameter order, named or positional; null (reported) if one is missing or extra.</summary>
    private ExpressionSyntax[]? ArgumentsOf(InvocationExpressionSyntax invocation, IMethodSymbol callee, int arity)
    {
        var arguments = new ExpressionSyntax[arity];
        for (var i = 0; i < invocation.ArgumentList.Arguments.Count; i++)
        {
            var argument = invocation.ArgumentList.Arguments[i];
            var ordinal = argument.NameColon is { } named ? callee.Parameters.First(p => p.Name == named.Name.Identifier.ValueText).Ordinal : i;
            if (ordinal >= arity)
            {
                Report(DiagnosticDescriptors.NoDerivativeRule, invocation, callee.ContainingType.Name + "." + callee.Name + " with '" + argument + "'");
                return null;
            }
            arguments[ordinal] = argument.Expression;
        }
        if (arguments.Any(a => a is null))
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, invocation, $"the call '{invocation}'", "pass every argument explicitly (optional parameters are not supported)");
            return null;
        }
        return arguments;
    }

    // ---- Calls of the user's methods ----------------------------------------------------------------

    /// <summary>How a call of a user's method is differentiated: through a pullback, or not at all (a constant).</summary>
    private enum UserRuleKind { Differentiable, CustomPullback, NoDerivative }

    private static UserRuleKind? UserRule(IMethodSymbol callee)
    {
        foreach (var attribute in callee.GetAttributes())
        {
            switch (attribute.AttributeClass?.ToDisplayString())
            {
                case CustomPullbackAttribute: return UserRuleKind.CustomPullback;
                case NoDerivativeAttribute: return UserRuleKind.NoDerivative;
            }
        }
        return callee.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == GradientGenerator.DifferentiableAttribute) ? UserRuleKind.Differentiable : null;
    }

    /// <summary>
    /// A call of a [Differentiable], [CustomPullback] or [NoDerivative] method: the backward calls the callee's
    /// pullback (generated, or the user's), which adds to the adjoint of each argument it differentiates.
    /// </summary>
    private Value? VisitUserCall(InvocationExpressionSyntax invocation, IMethodSymbol callee, UserRuleKind kind, NumType type, string? name)
    {
        var display = callee.ContainingType.Name + "." + callee.Name;
        var parameterTypes = callee.Parameters.Select(p => p.RefKind == RefKind.None ? TypeOf(p.Type) : null).ToList();
        if (!callee.IsStatic || callee.IsGenericMethod || TypeOf(callee.ReturnType) is not { } returned || parameterTypes.Any(t => t is null))
        {
            if (kind == UserRuleKind.Differentiable && callee.Locations.Any(l => l.IsInSource))
            {
                // The callee's own diagnostics say what is wrong with it.
                _hasCompilerErrors = true;
                return null;
            }
            Report(DiagnosticDescriptors.UnsupportedExpression, invocation, $"the call of '{display}'",
                "a called method must be static and non-generic, and take and return only 'double', 'float', matrices or arrays of them");
            return null;
        }

        var differentiated = callee.Parameters.Select((p, i) => parameterTypes[i]!.Value.IsDifferentiable() && !HasNoDerivative(p)).ToList();
        var function = Qualified(callee.ContainingType) + "." + Identifier(callee.Name);
        var (pullback, takesWorkspace) = kind switch
        {
            UserRuleKind.Differentiable => (function + "Pullback", true),
            UserRuleKind.CustomPullback => CustomPullback(invocation, callee, differentiated),
            _ => (null, false),
        };
        if (kind == UserRuleKind.CustomPullback && pullback is null) return null;
        if (ArgumentsOf(invocation, callee, callee.Parameters.Length) is not { } arguments) return null;

        var args = new List<CallArgument>();
        for (var i = 0; i < arguments.Length; i++)
        {
            if (Visit(arguments[i], null) is not { } value) return null;
            args.Add(new CallArgument(value.Operand, parameterTypes[i]!.Value, differentiated[i]));
        }
        var target = name is null ? _names.Temp() : _names.Fresh(name);
        _steps.Add(new CallStep(target, returned, function, pullback, takesWorkspace, args.ToEquatableArray()));
        return Convert(new Value(Operand.Var(target), returned), type);
    }

    /// <summary>
    /// The fully qualified name of the pullback a [CustomPullback] names and whether it takes the caller's workspace,
    /// or a null name after reporting a wrong signature.
    /// </summary>
    private (string? Name, bool TakesWorkspace) CustomPullback(InvocationExpressionSyntax invocation, IMethodSymbol callee, List<bool> differentiated)
    {
        var attribute = callee.GetAttributes().First(a => a.AttributeClass?.ToDisplayString() == CustomPullbackAttribute);
        var arguments = attribute.ConstructorArguments;
        var owner = arguments.Length == 2 ? arguments[0].Value as INamedTypeSymbol : callee.ContainingType;
        var pullbackName = arguments.LastOrDefault().Value as string ?? "";

        // static R FPullback(P1 p1, …, Pn pn, R dL_dresult, ref Pi dL_dpi for each differentiated i[, Workspace? workspace])
        var expectedTypes = callee.Parameters.Select(p => p.Type).Append(callee.ReturnType)
            .Concat(callee.Parameters.Where((_, i) => differentiated[i]).Select(p => p.Type)).ToList();
        var workspace = _semantics.Compilation.GetTypeByMetadataName(WorkspaceType);
        bool TakesWorkspace(IMethodSymbol candidate) =>
            candidate.Parameters.Length == expectedTypes.Count + 1 && SymbolEqualityComparer.Default.Equals(candidate.Parameters.Last().Type, workspace);
        bool Matches(IMethodSymbol candidate) =>
            candidate.IsStatic && !candidate.IsGenericMethod
            && SymbolEqualityComparer.Default.Equals(candidate.ReturnType, callee.ReturnType)
            && (candidate.Parameters.Length == expectedTypes.Count || TakesWorkspace(candidate))
            && expectedTypes.Select((type, i) => SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, type)
                && candidate.Parameters[i].RefKind == (i > callee.Parameters.Length ? RefKind.Ref : RefKind.None)).All(ok => ok);

        if (owner?.GetMembers(pullbackName).OfType<IMethodSymbol>().FirstOrDefault(Matches) is { } found)
        {
            return (Qualified(owner) + "." + Identifier(found.Name), TakesWorkspace(found));
        }
        var format = SymbolDisplayFormat.MinimallyQualifiedFormat;
        var parameters = callee.Parameters.Select(p => p.Type.ToDisplayString(format) + " " + p.Name)
            .Append(callee.ReturnType.ToDisplayString(format) + " dL_dresult")
            .Concat(callee.Parameters.Where((_, i) => differentiated[i]).Select(p => "ref " + p.Type.ToDisplayString(format) + " dL_d" + p.Name))
            // A rule over matrices is shown with the (optional) workspace its matrices can come from.
            .Concat(expectedTypes.Any(t => TypeOf(t) is { } type && (type.IsMatrix() || type.Item().IsMatrix())) ? ["Workspace? workspace"] : Array.Empty<string>());
        var expected = $"static {callee.ReturnType.ToDisplayString(format)} {pullbackName}({string.Join(", ", parameters)})";
        Report(DiagnosticDescriptors.InvalidCustomPullback, invocation, (owner?.Name ?? "?") + "." + pullbackName, callee.ContainingType.Name + "." + callee.Name, expected);
        return (null, false);
    }

    private static string Qualified(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    private Value? Emit(string op, NumType type, string? name, params ExpressionSyntax[] arguments)
    {
        var values = new Value[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            if (Visit(arguments[i], null) is not { } value) return null;
            values[i] = value;
        }
        return Emit(op, type, name, values);
    }

    /// <summary>Emits an operator step, or reports that no rule covers these operand types.</summary>
    private Value? EmitRule(ExpressionSyntax syntax, string op, NumType type, string? name, params Value[] arguments)
    {
        if (DerivativeRules.TryGet(op, out _)) return Emit(op, type, name, arguments);
        Report(DiagnosticDescriptors.UnsupportedExpression, syntax, $"the operator '{op}' (M: matrix, S: scalar)",
            "combine matrices with matrices of the same shape or with scalars");
        return null;
    }

    private Value Emit(string op, NumType type, string? name, params Value[] arguments)
    {
        var target = name is null ? _names.Temp() : _names.Fresh(name);
        _steps.Add(new OpStep(target, type, op, arguments.Select(a => a.Operand).ToEquatableArray()));
        return new Value(Operand.Var(target), type);
    }

    /// <summary>The value in <paramref name="type"/>: constants adapt, variables of the other type get a conversion step.</summary>
    private Value Convert(Value value, NumType type, string? name = null) =>
        value.Type == type || value.Operand.IsConstant ? value with { Type = type } : Emit(DerivativeRules.Convert, type, name, value);

    /// <summary>Why an element, a member or a construction of a matrix cannot be differentiated; null for other expressions.</summary>
    private string? MatrixMisuse(ExpressionSyntax expression)
    {
        var symbol = _semantics.GetSymbolInfo(expression, _cancellation).Symbol;
        var ofMatrix = symbol?.ContainingType?.OriginalDefinition.ToDisplayString() == MatrixType;
        return expression switch
        {
            ElementAccessExpressionSyntax access when IsMatrix(access.Expression) =>
                "it reads one element; to pick elements, multiply by a [NoDerivative] mask matrix and use Matrix.Sum",
            BaseObjectCreationExpressionSyntax when IsMatrix(expression) || ofMatrix =>
                "a matrix created inside the method is a constant; pass it as a [NoDerivative] parameter",
            InvocationExpressionSyntax when ofMatrix && symbol!.IsStatic =>
                "a matrix created inside the method is a constant; pass it as a [NoDerivative] parameter",
            InvocationExpressionSyntax or MemberAccessExpressionSyntax when ofMatrix =>
                "it is a member of one matrix, not a differentiable operation",
            _ => null,
        };
    }

    private bool IsMatrix(ExpressionSyntax expression) => TypeOf(_semantics.GetTypeInfo(expression, _cancellation).Type)?.IsMatrix() == true;

    /// <summary>The value and the constant rule of <c>m.Rows</c>, <c>m.Columns</c>, <c>m.Length</c> or an array's <c>a.Length</c>.</summary>
    private (ExpressionSyntax Of, string Op)? ShapeOf(ExpressionSyntax expression)
    {
        if (expression is not MemberAccessExpressionSyntax member || _semantics.GetSymbolInfo(member, _cancellation).Symbol is not IPropertySymbol property) return null;
        if (property is { Name: "Rows" or "Columns" or "Length" } && property.ContainingType.OriginalDefinition.ToDisplayString() == MatrixType) return (member.Expression, "Matrix." + property.Name);
        if (property.Name == "Length" && TypeOf(_semantics.GetTypeInfo(member.Expression, _cancellation).Type)?.IsArray() == true) return (member.Expression, "Array.Length");
        return null;
    }

    // ---- Helpers ------------------------------------------------------------------------------------

    private static NumType? TypeOf(ITypeSymbol? type) => type switch
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
