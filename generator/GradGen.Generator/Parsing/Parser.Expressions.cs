using System;
using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace GradGen.Generator;

/// <summary>Expressions: one step per operation (A-normal form).</summary>
internal sealed partial class Parser
{
    /// <param name="name">The name for the step computing the expression's value (a local's name), or null for a temporary.</param>
    /// <returns>The value, or null after reporting a diagnostic.</returns>
    private Value? Visit(ExpressionSyntax expression, string? name)
    {
        if (_visited.TryGetValue(expression, out var visited))
        {
            _visited.Remove(expression);
            return visited;
        }
        if (!HasStackFor(expression)) return null;
        // Parentheses (and the null-forgiving '!') change nothing but the conversion applied to them, which is the outermost one's.
        var convertedType = TypeOf(_semantics.GetTypeInfo(expression, _cancellation).ConvertedType);
        expression = Unwrapped(expression);
        var typeInfo = _semantics.GetTypeInfo(expression, _cancellation);
        if (expression is BinaryExpressionSyntax && !VisitLeftOperands(expression)) return null;
        var constant = _semantics.GetConstantValue(expression, _cancellation);
        if (constant.HasValue && constant.Value is IConvertible number and not (string or bool or char))
        {
            var constantType = convertedType ?? NumType.Double;
            return new Value(new Operand(null, System.Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture), IsInteger: constantType == NumType.Int), constantType);
        }
        if (expression is ThrowExpressionSyntax)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, expression, "a 'throw' expression here", "throw from a side of a conditional operator (c ? x : throw …) or from an 'if'");
            return null;
        }
        if (expression.Kind() is SyntaxKind.NullLiteralExpression or SyntaxKind.DefaultLiteralExpression || expression is DefaultExpressionSyntax)
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, expression, $"'{expression}'", "a [Differentiable] method computes with values; pass a matrix or a number");
            return null;
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

    private static ExpressionSyntax Unwrapped(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                case PostfixUnaryExpressionSyntax forgiven when forgiven.IsKind(SyntaxKind.SuppressNullableWarningExpression):
                    expression = forgiven.Operand;
                    break;
                default:
                    return expression;
            }
        }
    }

    /// <summary>A side of a conditional operator; a throwing side (<c>c ? x : throw …</c>) throws and has a placeholder value.</summary>
    private Value? VisitOperand(ExpressionSyntax side, NumType type)
    {
        if (side is not ThrowExpressionSyntax) return Visit(side, null);
        _steps.Add(new ThrowStep());
        return new Value(Operand.Const(0), type);
    }

    /// <summary>
    /// Reads the left operands of a chain of binary operators (a long sum <c>a + b + c + …</c>) from the innermost out,
    /// so that reading the chain needs no deeper a stack than reading one operator; <see cref="Visit"/> then finds each
    /// left operand already read. False after reporting an operand that cannot be read.
    /// </summary>
    private bool VisitLeftOperands(ExpressionSyntax expression)
    {
        var chain = new Stack<ExpressionSyntax>();
        for (var node = expression; node is BinaryExpressionSyntax { Left: var left } && !_visited.ContainsKey(left); node = left)
        {
            if (Unwrapped(left) is not BinaryExpressionSyntax) break;
            chain.Push(left);
        }
        if (chain.Count < 8) return true;
        while (chain.Count > 0)
        {
            var operand = chain.Pop();
            if (Visit(operand, null) is not { } value) return false;
            _visited[operand] = value;
        }
        return true;
    }

    /// <summary>
    /// Whether there is stack left to read <paramref name="node"/>; if not, reports it once (GG0107) rather than letting
    /// a stack overflow end the compiler (an IDE runs generators on threads with small stacks).
    /// </summary>
    private bool HasStackFor(SyntaxNode node)
    {
        if (_tooDeep) return false;
        try
        {
            System.Runtime.CompilerServices.RuntimeHelpers.EnsureSufficientExecutionStack();
            return true;
        }
        catch (InsufficientExecutionStackException)
        {
            _tooDeep = true;
            Report(DiagnosticDescriptors.TooDeeplyNested, node);
            return false;
        }
    }

    private Value? VisitCore(ExpressionSyntax expression, NumType type, string? name)
    {
        switch (expression)
        {
            case IdentifierNameSyntax identifier:
                var symbol = _semantics.GetSymbolInfo(identifier, _cancellation).Symbol;
                if (symbol is not null && _values.TryGetValue(symbol, out var value)) return value;
                var member = VisitMember(identifier, out var isMember);
                if (isMember) return member;
                Report(DiagnosticDescriptors.UnsupportedExpression, identifier, $"'{identifier}'",
                    symbol is ILocalSymbol or IParameterSymbol
                        ? "assign it before it is read"
                        : "a [Differentiable] method reads only its parameters, locals and constants; pass other values as parameters");
                return null;

            case MemberAccessExpressionSyntax access when VisitMember(access, out var isMemberAccess) is var read && isMemberAccess:
                return read;

            case BinaryExpressionSyntax binary:
                var op = binary.Kind() switch
                {
                    SyntaxKind.AddExpression => DerivativeRules.Add,
                    SyntaxKind.SubtractExpression => DerivativeRules.Subtract,
                    SyntaxKind.MultiplyExpression => DerivativeRules.Multiply,
                    SyntaxKind.DivideExpression => DerivativeRules.Divide,
                    SyntaxKind.ModuloExpression => DerivativeRules.Remainder,
                    _ => null,
                };
                if (op is null)
                {
                    Report(DiagnosticDescriptors.UnsupportedExpression, binary, $"the operator '{binary.OperatorToken.ValueText}'",
                        "use +, -, *, / or % (and Math/MathF functions)");
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
                var (thenSteps, _, _, whenTrue) = VisitBranch(() => VisitOperand(conditional.WhenTrue, type), _exit);
                var (elseSteps, _, _, whenFalse) = VisitBranch(() => VisitOperand(conditional.WhenFalse, type), _exit);
                if (whenTrue is null || whenFalse is null) return null;
                var merges = new List<Merge>();
                var merged = Merge(merges, name, whenTrue.Value with { Type = type }, whenFalse.Value with { Type = type });
                _steps.Add(new IfStep(condition, thenSteps, elseSteps, merges.ToEquatableArray()));
                return merged;

            default:
                Report(DiagnosticDescriptors.UnsupportedExpression, expression, $"the expression '{expression}' ({Describe(expression)})",
                    "write it with operators, locals and Math/MathF functions");
                return null;
        }
    }

    internal static string Qualified(INamedTypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>Emits an operator step, or reports that no rule covers these operand types.</summary>
    private Value? EmitRule(SyntaxNode syntax, string op, NumType type, string? name, params Value[] arguments)
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
        value.Type == type ? value
        : value.Operand.IsConstant ? new Value(value.Operand with { IsInteger = type == NumType.Int }, type)
        : Emit(DerivativeRules.Convert, type, name, value);

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
}
