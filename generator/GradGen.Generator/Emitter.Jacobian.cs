using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>The Jacobian: column by column with the pushforward, or row by row with the pullback, whichever takes fewer passes.</summary>
internal sealed partial class Emitter
{
    /// <summary>
    /// <c>(Value, Jacobian) FJacobian(x…)</c>: row i holds the partials of the result's i-th number (a matrix's items row by
    /// row; one row for a number) with respect to every differentiated number (parameters in order, items one by one).
    /// With n inputs and m outputs, n pushforwards (JAX's jacfwd) when n ≤ m, else m pullbacks (jacrev).
    /// </summary>
    private void WriteJacobian(CodeWriter writer, Pushforward pushforward)
    {
        var method = _gradient.Method;
        var result = method.ReturnType;
        var element = result.Element();
        var matrix = (element == NumType.Float ? NumType.MatrixFloat : NumType.MatrixDouble).Keyword();
        var parameters = _gradient.ParameterAdjoints.Zip(pushforward.ParameterTangents, (a, t) => (a.Parameter, a.Adjoint, t.Tangent)).ToList();
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(parameters.SelectMany(p => new[] { p.Adjoint, p.Tangent })).Append(_workspace));
        var (value, m, n, k, i, jacobian, upstream, tangent) = (names.Fresh("value"), names.Fresh("m"), names.Fresh("n"), names.Fresh("k"), names.Fresh("i"),
            names.Fresh("jacobian"), names.Fresh("upstream"), names.Fresh("tangent"));
        var (offsets, count) = Flattened(parameters.Select(p => p.Parameter));
        var overMatrices = result.IsMatrix() || method.Parameters.Any(p => p.Type.Item().IsMatrix());
        string Cast(Parameter p) => p.Type.Element() == element ? "" : $"({element.Keyword()})";

        writer.Line("/// <summary>")
            .Line($"/// Computes <see cref=\"{Cref(method)}\"/> and its Jacobian: row i holds the partial derivatives of the result's i-th number")
            .Line("/// (a matrix's items row by row) with respect to each differentiated number: " + string.Join(", ", parameters.Select(p => p.Parameter.Name.TrimStart('@') + (IsVector(p.Parameter) ? "[…]" : ""))) + ".")
            .Line("/// Column by column with the pushforward when there are no more inputs than outputs, else row by row with the pullback.")
            .Line("/// </summary>")
            .Open($"{method.Modifiers} static ({result.Keyword()} Value, {matrix} Jacobian) {method.Name}Jacobian({ParameterList(method)})");
        WriteNullChecks(writer, method);
        writer.Line($"var {_workspace} = new global::GradGen.Workspace();")
            .Line($"{result.Keyword()} {value} = {Call(method)};")
            .Line($"int {m} = {(result.IsMatrix() ? value + ".Length" : "1")};")
            .Line($"int {n} = {count};")
            .Line($"var {jacobian} = new {matrix}({m}, {n});");

        // Forward: column k is the pushforward along the k-th unit vector.
        writer.Open($"if ({n} <= {m})");
        foreach (var (parameter, _, t) in parameters.Where(p => p.Parameter.Type.IsArray()))
        {
            writer.Line($"var {t} = new {parameter.Type.Item().Keyword()}[{parameter.Name}.Length];");
        }
        foreach (var (parameter, _, t) in parameters.Where(p => p.Parameter.Type.IsMatrix()))
        {
            writer.Line($"var {t} = new {parameter.Type.Keyword()}({parameter.Name}.Rows, {parameter.Name}.Columns);");
        }
        writer.Open($"for (int {k} = 0; {k} < {n}; {k}++)");
        foreach (var ((parameter, _, t), offset) in parameters.Zip(offsets, (p, o) => (p, o)))
        {
            var item = parameter.Type.Element();
            if (!IsVector(parameter))
            {
                writer.Line($"{item.Keyword()} {t} = {k} == {offset} ? {ExprPrinter.Literal(1, item)} : {ExprPrinter.Literal(0, item)};");
                continue;
            }
            writer.Line(parameter.Type.IsMatrix() ? $"{t}.Span.Clear();" : $"global::System.Array.Clear({t});")
                .Line($"if ({k} >= {offset} && {k} < {offset} + {parameter.Name}.Length) {Items(parameter, t)}[{k} - ({offset})] = {ExprPrinter.Literal(1, item)};");
        }
        writer.Line($"{_workspace}.Reset();");
        var pushforwardArguments = method.Parameters.Select(p => p.Name).Concat(parameters.Select(p => p.Tangent)).Concat(overMatrices ? [_workspace] : []);
        writer.Line($"var (_, {tangent}) = {method.Name}Pushforward({string.Join(", ", pushforwardArguments)});");
        writer.Line(result.IsMatrix()
            ? $"for (int {i} = 0; {i} < {m}; {i}++) {jacobian}[{i}, {k}] = {tangent}.Span[{i}];"
            : $"{jacobian}[0, {k}] = {tangent};");
        writer.Close().Close();

        // Reverse: row i is the pullback of the i-th unit vector of the result.
        writer.Open("else");
        if (result.IsMatrix()) writer.Line($"var {upstream} = new {matrix}({value}.Rows, {value}.Columns);");
        writer.Open($"for (int {i} = 0; {i} < {m}; {i}++)");
        if (result.IsMatrix()) writer.Line($"{upstream}.Span.Clear();").Line($"{upstream}.Span[{i}] = {ExprPrinter.Literal(1, element)};");
        writer.Line($"{_workspace}.Reset();");
        foreach (var (parameter, adjoint, _) in parameters) writer.Line($"{parameter.Type.Keyword()} {adjoint} = {Zero(parameter.Type, parameter.Name)};");
        var pullbackArguments = method.Parameters.Select(p => p.Name)
            .Append(result.IsMatrix() ? upstream : ExprPrinter.Literal(1, result))
            .Concat(parameters.Select(p => "ref " + p.Adjoint))
            .Append(_workspace);
        writer.Line($"{method.Name}Pullback({string.Join(", ", pullbackArguments)});");
        foreach (var ((parameter, adjoint, _), offset) in parameters.Zip(offsets, (p, o) => (p, o)))
        {
            writer.Line(IsVector(parameter)
                ? $"for (int {k} = 0; {k} < {parameter.Name}.Length; {k}++) {jacobian}[{i}, {offset} + {k}] = {Cast(parameter)}{Items(parameter, adjoint)}[{k}];"
                : $"{jacobian}[{i}, {offset}] = {Cast(parameter)}{adjoint};");
        }
        writer.Close().Close()
            .Line($"return ({value}, {jacobian});")
            .Close();
    }
}
