using System.Collections.Generic;
using System.Linq;
using GradGen.Generator.Expressions;
using GradGen.Generator.Model;

namespace GradGen.Generator;

/// <summary>Second order: the Hessian-vector product, the full Hessian from it, and the pullback with tangents under both.</summary>
internal sealed partial class Emitter
{
    /// <summary><c>(Value, gradient…, H·v…) FHessianVectorProduct(x…, v…)</c>: one pass of the pullback with tangents.</summary>
    private void WriteHessianVectorProduct(CodeWriter writer, HessianVector hessian)
    {
        var method = _gradient.Method;
        var type = method.ReturnType.Keyword();
        var adjoints = _gradient.ParameterAdjoints;
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(hessian.Parameters.Select(p => p.Direction))
            .Concat(adjoints.Select(p => p.Adjoint)).Concat(hessian.Parameters.Select(p => p.Product)).Append(_workspace));
        var value = names.Fresh("value");
        var elements = adjoints.Select(p => p.Parameter.Type.Keyword() + " " + p.Adjoint)
            .Concat(hessian.Parameters.Select(p => p.Parameter.Type.Keyword() + " " + p.Product));
        var parameters = method.Parameters.Select(p => p.Type.Keyword() + " " + p.Name)
            .Concat(hessian.Parameters.Select(p => p.Parameter.Type.Keyword() + " " + p.Direction))
            .Append(WorkspaceParameter);

        writer.Line("/// <summary>")
            .Line($"/// Computes <see cref=\"{Cref(method)}\"/>, its gradient and the Hessian-vector product H·v along the direction")
            .Line($"/// v = ({string.Join(", ", hessian.Parameters.Select(p => p.Direction))}), exactly (forward over reverse), for about 1.5 times the cost of the gradient.")
            .Line("/// </summary>")
            .Line($"/// <param name=\"{_workspace}\">Buffers reused from one call to the next (see WithGradient).</param>")
            .Open($"{method.Modifiers} static ({type} Value, {string.Join(", ", elements)}) {method.Name}HessianVectorProduct({string.Join(", ", parameters)})");
        WriteNullChecks(writer, method);
        WriteDirectionChecks(writer, method.Name + "HessianVectorProduct", "directions", hessian.Parameters.Select(p => (p.Parameter, p.Direction)));
        writer.Line($"{_workspace}?.Reset();");
        foreach (var (parameter, adjoint) in adjoints) writer.Line($"{parameter.Type.Keyword()} {adjoint} = {Zero(parameter.Type, parameter.Name)};");
        foreach (var (parameter, _, product) in hessian.Parameters) writer.Line($"{parameter.Type.Keyword()} {product} = {Zero(parameter.Type, parameter.Name)};");
        var arguments = method.Parameters.Select(p => p.Name)
            .Concat(hessian.Parameters.Select(p => p.Direction))
            .Append(ExprPrinter.Literal(1, method.ReturnType))
            .Append(ExprPrinter.Literal(0, method.ReturnType))
            .Concat(adjoints.Select(p => "ref " + p.Adjoint))
            .Concat(hessian.Parameters.Select(p => "ref " + p.Product))
            .Append(_workspace);
        writer.Line($"{type} {value} = {method.Name}HessianPullback({string.Join(", ", arguments)});")
            .Line($"return ({value}, {string.Join(", ", adjoints.Select(p => p.Adjoint).Concat(hessian.Parameters.Select(p => p.Product)))});")
            .Close();
    }

    /// <summary>
    /// <c>(Value, Gradient, Hessian) FHessian(x…)</c>: column k of the Hessian is H·eₖ, one Hessian-vector product per
    /// differentiated number (an array's items counted one by one, in parameter order).
    /// </summary>
    private void WriteHessian(CodeWriter writer, HessianVector hessian)
    {
        var method = _gradient.Method;
        var type = method.ReturnType.Keyword();
        var names = new NameAllocator(method.Parameters.Select(p => p.Name).Concat(hessian.Parameters.Select(p => p.Direction)));
        var (n, k, i, j, gradient, matrix, value, product, average) =
            (names.Fresh("n"), names.Fresh("k"), names.Fresh("i"), names.Fresh("j"), names.Fresh("gradient"), names.Fresh("hessian"), names.Fresh("value"), names.Fresh("product"), names.Fresh("average"));

        var (offsets, count) = Flattened(hessian.Parameters.Select(p => p.Parameter));

        writer.Line("/// <summary>")
            .Line($"/// Computes <see cref=\"{Cref(method)}\"/>, its gradient and its Hessian, exactly: column k is the Hessian-vector")
            .Line("/// product along the k-th unit vector, so this costs one HessianVectorProduct per differentiated number; the two")
            .Line("/// triangles, equal up to rounding, are averaged so that the result is symmetric. Numbers are ordered as the")
            .Line("/// parameters are, an array's or a matrix's items one by one: " + string.Join(", ", hessian.Parameters.Select(p => p.Parameter.Name.TrimStart('@') + (IsVector(p.Parameter) ? "[…]" : ""))) + ".")
            .Line("/// </summary>")
            .Open($"{method.Modifiers} static ({type} Value, {type}[] Gradient, {type}[,] Hessian) {method.Name}Hessian({ParameterList(method)})");
        WriteNullChecks(writer, method);
        writer.Line($"int {n} = {count};")
            .Line($"var {gradient} = new {type}[{n}];")
            .Line($"var {matrix} = new {type}[{n}, {n}];");
        foreach (var (parameter, direction, _) in hessian.Parameters.Where(p => p.Parameter.Type.IsArray()))
        {
            writer.Line($"var {direction} = new {parameter.Type.Item().Keyword()}[{parameter.Name}.Length];");
        }
        foreach (var (parameter, direction, _) in hessian.Parameters.Where(p => p.Parameter.Type.IsMatrix()))
        {
            writer.Line($"var {direction} = new {parameter.Type.Keyword()}({parameter.Name}.Rows, {parameter.Name}.Columns);");
        }
        writer.Line($"{type} {value} = {method.Name}({string.Join(", ", method.Parameters.Select(p => p.Name))});")
            .Open($"for (int {k} = 0; {k} < {n}; {k}++)");
        foreach (var ((parameter, direction, _), offset) in hessian.Parameters.Zip(offsets, (p, o) => (p, o)))
        {
            var item = parameter.Type.Element();
            if (!IsVector(parameter))
            {
                writer.Line($"{item.Keyword()} {direction} = {k} == {offset} ? {ExprPrinter.Literal(1, item)} : {ExprPrinter.Literal(0, item)};");
                continue;
            }
            writer.Line(parameter.Type.IsMatrix() ? $"{direction}.Span.Clear();" : $"global::System.Array.Clear({direction});")
                .Line($"if ({k} >= {offset} && {k} < {offset} + {parameter.Name}.Length) {Items(parameter, direction)}[{k} - ({offset})] = {ExprPrinter.Literal(1, item)};");
        }
        var arguments = method.Parameters.Select(p => p.Name).Concat(hessian.Parameters.Select(p => p.Direction));
        writer.Line($"var {product} = {method.Name}HessianVectorProduct({string.Join(", ", arguments)});");
        foreach (var (((parameter, _, hv), offset), adjoint) in hessian.Parameters.Zip(offsets, (p, o) => (p, o)).Zip(_gradient.ParameterAdjoints, (p, a) => (p, a.Adjoint)))
        {
            // A parameter of the other floating-point type is converted to the result's.
            var cast = parameter.Type.Element() == method.ReturnType ? "" : $"({type})";
            if (!IsVector(parameter))
            {
                writer.Line($"{gradient}[{offset}] = {cast}{product}.{adjoint};")
                    .Line($"{matrix}[{offset}, {k}] = {cast}{product}.{hv};");
                continue;
            }
            writer.Open($"for (int {i} = 0; {i} < {parameter.Name}.Length; {i}++)")
                .Line($"{gradient}[{offset} + {i}] = {cast}{Items(parameter, product + "." + adjoint)}[{i}];")
                .Line($"{matrix}[{offset} + {i}, {k}] = {cast}{Items(parameter, product + "." + hv)}[{i}];")
                .Close();
        }
        writer.Close()
            .Open($"for (int {i} = 0; {i} < {n}; {i}++)")
            .Open($"for (int {j} = {i} + 1; {j} < {n}; {j}++)")
            .Line($"var {average} = ({matrix}[{i}, {j}] + {matrix}[{j}, {i}]) / 2;")
            .Line($"{matrix}[{i}, {j}] = {average};")
            .Line($"{matrix}[{j}, {i}] = {average};")
            .Close()
            .Close()
            .Line($"return ({value}, {gradient}, {matrix});")
            .Close();
    }

    /// <summary>Whether a parameter holds several numbers (an array's or a matrix's items), flattened one by one.</summary>
    private static bool IsVector(Parameter parameter) => parameter.Type.IsArray() || parameter.Type.IsMatrix();

    /// <summary>The items of a parameter's value (or of one shaped like it), indexable: a matrix's span, an array itself.</summary>
    private static string Items(Parameter parameter, string value) => parameter.Type.IsMatrix() ? value + ".Span" : value;

    /// <summary>
    /// Where each parameter's numbers start in the vector of all differentiated numbers (parameters in order, an array's or
    /// a matrix's items one by one): "0", "1", "2 + w.Length"…, and the vector's length.
    /// </summary>
    private static (List<string> Offsets, string Count) Flattened(IEnumerable<Parameter> parameters)
    {
        var scalars = 0;
        var lengths = new List<string>();
        string Offset() => string.Join(" + ", new[] { scalars.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Where(s => s != "0" || lengths.Count == 0).Concat(lengths));
        var offsets = new List<string>();
        foreach (var parameter in parameters)
        {
            offsets.Add(Offset());
            if (IsVector(parameter)) lengths.Add(parameter.Name + ".Length");
            else scalars++;
        }
        return (offsets, Offset());
    }

    /// <summary>
    /// The pullback with tangents along v: the forward with each value's tangent, the backward with each adjoint
    /// contribution's tangent. Methods with second order that call this one call it from theirs.
    /// </summary>
    private void WriteHessianPullback(CodeWriter writer, HessianVector hessian)
    {
        var pullback = hessian.Pullback;
        var method = pullback.Method;
        var type = method.ReturnType.Keyword();
        var parameters = method.Parameters.Select(p => p.Type.Keyword() + " " + p.Name)
            .Concat(hessian.Parameters.Select(p => p.Parameter.Type.Keyword() + " " + p.Direction))
            .Concat([type + " " + pullback.Upstream, type + " " + hessian.UpstreamTangent])
            .Concat(pullback.ParameterAdjoints.Select(p => $"ref {p.Parameter.Type.Keyword()} {p.Adjoint}"))
            .Concat(hessian.Parameters.Select(p => $"ref {p.Parameter.Type.Keyword()} {p.Product}"))
            .Append(WorkspaceParameter);

        writer.Line("/// <summary>")
            .Line($"/// The pullback of <see cref=\"{Cref(method)}\"/> with tangents along the direction v: returns its value, adds")
            .Line($"/// <paramref name=\"{pullback.Upstream}\"/> × ∂result/∂p to each dL_dp as the pullback does, and the tangent of that along v,")
            .Line($"/// <paramref name=\"{pullback.Upstream}\"/> × (H·v)_p + <paramref name=\"{hessian.UpstreamTangent}\"/> × ∂result/∂p, to each Hv_p.")
            .Line("/// </summary>")
            .Open($"{method.Modifiers} static {type} {method.Name}HessianPullback({string.Join(", ", parameters)})");
        WriteNullChecks(writer, method);
        WriteDirectionChecks(writer, method.Name + "HessianPullback", "directions", hessian.Parameters.Select(p => (p.Parameter, p.Direction)));
        _throw = $"return {Call(method)}; // throws here, as {method.Name} does";
        writer.Line("// Forward, each value v followed by its tangent dv along the direction");
        WriteForward(writer, pullback.Forward, declare: true);
        writer.Line()
            .Line("// Backward, each adjoint dL_dv followed by its tangent Hv_v");
        WriteBackward(writer, pullback.Steps);
        writer.Line().Line($"return {ExprPrinter.Print(Expr.Of(method.Result), method.ReturnType)};").Close();
    }
}
