using CsCheck;

namespace GradGen.Tests.Properties;

/// <summary>
/// A random model: its layers (separate members, an array or a list of layer objects, a layer applied twice), a number
/// parameter, [NoDerivative] members, fields or properties, a class or a struct, one of two losses; written once in
/// double and once in float (<see cref="Source"/>).
/// </summary>
public sealed record ModelProgram(bool Struct, bool Properties, int Depth, string Container, bool Shared, bool Scale, bool Classification, string[] Activations, int DataSeed)
{
    public override string ToString() => $"data seed {DataSeed}\n{Source("double")}";

    /// <summary>
    /// The model's source over <paramref name="number"/>, with a <c>Check</c> class that builds it from a seed (x 5×3, layers
    /// 3 → 4 → … → 3) and returns its loss, its gradient in visit order, and central differences of the loss.
    /// </summary>
    public string Source(string number)
    {
        var member = Properties ? "{ get; set; }" : ";";
        var kind = Struct ? "struct" : "class";
        var last = Depth - 1;
        var members = new List<string> { $"[NoDerivative] public int Config{(Properties ? " { get; set; }" : ";")}" };
        var forward = new List<string> { "var h = x;" };
        switch (Container)
        {
            case "members":
                for (var l = 0; l < Depth; l++) members.Add($"public Layer L{l} {member}");
                for (var l = 0; l < Depth; l++) forward.Add($"h = L{l}.{Activations[l]}(h);{(l == 0 && Shared ? " h = Shared.Tanh(Shared.Tanh(h));" : "")}");
                break;
            default:
                var type = Container == "array" ? "Layer[]" : "System.Collections.Generic.IReadOnlyList<Layer>";
                var count = Container == "array" ? "Length" : "Count";
                members.Add($"public {type} Layers {member}");
                forward.Add($"h = Layers[0].{Activations[0]}(h);{(Shared ? " h = Shared.Tanh(Shared.Tanh(h));" : "")}");
                forward.Add($"for (var i = 1; i < Layers.{count}; i++) h = Layers[i].{Activations[1 % Activations.Length]}(h);");
                break;
        }
        if (Shared) members.Add($"public Layer Shared {member}");
        if (Scale && !Struct) members.Add("public " + number + " Scale;");
        forward.Add(Scale && !Struct ? "return h * Scale;" : "return h;");
        var loss = Classification ? "Matrix.CrossEntropy(Predict(x), labels)" : "Matrix.Mse(Predict(x), y)";
        var layers = Container switch
        {
            "members" => string.Join(" ", Enumerable.Range(0, Depth).Select(l => $"L{l} = Layer.Make(random, {(l == 0 ? 3 : 4)}, {(l == last ? 3 : 4)}),")),
            "array" => $"Layers = new Layer[] {{ {string.Join(", ", Enumerable.Range(0, Depth).Select(l => $"Layer.Make(random, {(l == 0 ? 3 : 4)}, {(l == last ? 3 : 4)})"))} }},",
            _ => $"Layers = new System.Collections.Generic.List<Layer> {{ {string.Join(", ", Enumerable.Range(0, Depth).Select(l => $"Layer.Make(random, {(l == 0 ? 3 : 4)}, {(l == last ? 3 : 4)})"))} }},",
        };
        return $$"""
            using System;
            using System.Collections.Generic;
            using GradGen;

            public partial class Layer
            {
                public Matrix<{{number}}> Weight {{member}}
                public Matrix<{{number}}> Bias {{member}}
                [Differentiable] public Matrix<{{number}}> Tanh(Matrix<{{number}}> x) => Matrix.Tanh(Linear(x));
                [Differentiable] public Matrix<{{number}}> Sigmoid(Matrix<{{number}}> x) => Matrix.Sigmoid(Matrix.MatMul(x, Weight) + Bias);
                [Differentiable] public Matrix<{{number}}> Linear(Matrix<{{number}}> x) => Matrix.MatMul(x, Weight) + Bias;

                public static Layer Make(Random random, int inputs, int outputs) => new() { Weight = Check.Random(random, inputs, outputs), Bias = Check.Random(random, 1, outputs) };
            }

            public partial {{kind}} Model
            {
                {{string.Join("\n    ", members)}}

                [Differentiable]
                public Matrix<{{number}}> Predict([NoDerivative] Matrix<{{number}}> x)
                {
                    {{string.Join("\n        ", forward)}}
                }

                [Differentiable]
                public {{number}} Loss([NoDerivative] Matrix<{{number}}> x, [NoDerivative] Matrix<{{number}}> y, int[] labels) => {{loss}};
            }

            public static class Check
            {
                public static Matrix<{{number}}> Random(Random random, int rows, int columns)
                {
                    var m = new Matrix<{{number}}>(rows, columns);
                    for (var i = 0; i < m.Length; i++) m.Span[i] = ({{number}})(random.NextDouble() * 2 - 1);
                    return m;
                }

                private static (Model Model, Matrix<{{number}}> X, Matrix<{{number}}> Y, int[] Labels) Build(int seed)
                {
                    var random = new Random(seed);
                    var model = new Model { {{(Shared ? "Shared = Layer.Make(random, 4, 4), " : "")}}{{layers}} Config = 7{{(Scale && !Struct ? ", Scale = 0.8f" : "")}} };
                    return (model, Random(random, 5, 3), Random(random, 5, 3), new[] { 0, 2, 1, 1, 0 });
                }

                public static double Loss(int seed) { var (m, x, y, labels) = Build(seed); return m.Loss(x, y, labels); }

                public static double[] Gradient(int seed)
                {
                    var (m, x, y, labels) = Build(seed);
                    var (_, gradient) = m.LossWithGradient(x, y, labels, new Workspace());
                    var numbers = new List<double>();
                    foreach (var (_, value) in gradient.NamedParameters()) foreach (var v in value.Span) numbers.Add(v);
                    return numbers.ToArray();
                }

                public static string[] Names(int seed) => Build(seed).Model.NamedParameters().Select(p => p.Name).ToArray();

                /// <summary>Central differences of the loss, each parameter number nudged by ±h through the model's visitor.</summary>
                public static double[] Differences(int seed, double step)
                {
                    var (m, x, y, labels) = Build(seed);
                    var nudger = new Nudger(() => m.Loss(x, y, labels), step, new List<double>());
                    m.Visit(ref nudger);
                    return nudger.Differences.ToArray();
                }

                private struct Nudger(Func<double> loss, double step, List<double> differences) : IParameterVisitor<{{number}}>
                {
                    public readonly List<double> Differences => differences;
                    public readonly bool NeedsNames => false;
                    public void Visit(Parameter<{{number}}> p)
                    {
                        for (var i = 0; i < p.Value.Length; i++)
                        {
                            var original = p.Value[i];
                            p.Value[i] = original + ({{number}})step;
                            var up = loss();
                            p.Value[i] = original - ({{number}})step;
                            var down = loss();
                            p.Value[i] = original;
                            differences.Add((up - down) / (2 * step));
                        }
                    }
                }
            }
            """.Insert(0, "using System.Linq;\n");
    }
}

public static class ModelProgramGen
{
    public static readonly Gen<ModelProgram> Program =
        from isStruct in Gen.Bool
        from properties in Gen.Bool
        from shared in Gen.Bool
        // A shared 4 → 4 layer applied after the first layer needs a layer after it (to 3 outputs).
        from depth in Gen.Int[shared ? 2 : 1, 3]
        from container in Gen.OneOf("members", "array", "list")
        from scale in Gen.Bool
        from classification in Gen.Bool
        from activations in Gen.OneOf("Tanh", "Sigmoid", "Linear").Array[3]
        from seed in Gen.Int[0, 1000]
        select new ModelProgram(isStruct, properties, depth, container, shared, scale, classification, activations, seed);
}
