using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using GradGen;
using TorchSharp;
using static TorchSharp.torch;

namespace GradGen.Benchmarks.Peers;

/// <summary>
/// One SGD step (forward, backward, update) of the same network, written as each library's user writes it: GradGen's
/// model with its generated gradient over a workspace, and TorchSharp's modules with autograd and <c>optim.SGD</c>
/// (the baseline, so the ratio is GradGen / TorchSharp). Both start from the same weights and data.
/// </summary>
[MemoryDiagnoser]
public class PeerSteps
{
    /// <summary>The four steps of issue 14 (pytorch_steps.py has the same): XOR (seed 000), batch 256 with a sigmoid layer in double and float, batch 1024 with ReLU in float.</summary>
    public static string[] Steps { get; } = ["xor 4x2-3-1 double", "256x64-128-10 sigmoid double", "256x64-128-10 sigmoid float", "1024x1024-1024-1024 relu float"];

    [ParamsSource(nameof(Steps))]
    public string Step { get; set; } = "";

    private const double LearningRate = 0.01;
    private Func<double> _gradGen = null!, _torch = null!;

    [GlobalSetup]
    public void Setup()
    {
        LibTorch.Prepare();
        torch.manual_seed(0);
        var random = new Random(0);
        switch (Step.Split(' ')[0])
        {
            case "xor":
                SetUpXor(random);
                break;
            case "256x64-128-10":
                if (Step.EndsWith("double")) SetUpClassifier<double>(random, 256, 64, 128, 10, relu: false);
                else SetUpClassifier<float>(random, 256, 64, 128, 10, relu: false);
                break;
            default:
                SetUpClassifier<float>(random, 1024, 1024, 1024, 1024, relu: true);
                break;
        }
        // Warm both, and check they compute the same loss from the same start.
        var (ours, theirs) = (_gradGen(), _torch());
        if (Math.Abs(ours - theirs) > 1e-4 * Math.Max(1, Math.Abs(theirs)))
        {
            throw new InvalidOperationException($"{Step}: GradGen's first loss {ours} differs from TorchSharp's {theirs}.");
        }
    }

    [Benchmark(Baseline = true)]
    public double TorchSharp() => _torch();

    [Benchmark]
    public double GradGen() => _gradGen();

    private void SetUpXor(Random random)
    {
        var x = new Matrix<double>(4, 2, [0, 0, 0, 1, 1, 0, 1, 1]);
        var y = new Matrix<double>(4, 1, [0, 1, 1, 0]);
        var model = new XorNetwork(Uniform<double>(random, 2, 3), Uniform<double>(random, 3, 1));
        var workspace = new Workspace();
        _gradGen = SgdStep<double, XorNetwork, XorNetwork.Gradient>(model, () => model.LossWithGradient(x, y, workspace));

        var w1 = nn.Linear(2, 3, hasBias: false, dtype: ScalarType.Float64);
        var w2 = nn.Linear(3, 1, hasBias: false, dtype: ScalarType.Float64);
        Load(w1, model.W1, null);
        Load(w2, model.W2, null);
        var network = nn.Sequential(("w1", w1), ("sigmoid", nn.Sigmoid()), ("w2", w2));
        var (tx, ty) = (ToTensor(x), ToTensor(y));
        var sgd = optim.SGD(network.parameters(), LearningRate);
        _torch = () =>
        {
            using var scope = NewDisposeScope();
            sgd.zero_grad();
            var loss = 0.5 * nn.functional.mse_loss(network.forward(tx), ty);
            loss.backward();
            sgd.step();
            return loss.item<double>();
        };
    }

    private void SetUpClassifier<T>(Random random, int batch, int inputs, int hidden, int classes, bool relu)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var x = Uniform<T>(random, batch, inputs);
        var labels = Enumerable.Range(0, batch).Select(_ => random.Next(classes)).ToArray();
        var (w1, b1, w2, b2) = (Uniform<T>(random, inputs, hidden), Uniform<T>(random, 1, hidden), Uniform<T>(random, hidden, classes), Uniform<T>(random, 1, classes));
        var workspace = new Workspace();
        if (typeof(T) == typeof(double))
        {
            var model = new SigmoidClassifierDouble(new DenseDouble(As<double>(w1), As<double>(b1)), new DenseDouble(As<double>(w2), As<double>(b2)));
            _gradGen = SgdStep<double, SigmoidClassifierDouble, SigmoidClassifierDouble.Gradient>(model, () => model.LossWithGradient(As<double>(x), labels, workspace));
        }
        else if (relu)
        {
            var model = new ReluClassifierFloat(new DenseFloat(As<float>(w1), As<float>(b1)), new DenseFloat(As<float>(w2), As<float>(b2)));
            _gradGen = SgdStep<float, ReluClassifierFloat, ReluClassifierFloat.Gradient>(model, () => model.LossWithGradient(As<float>(x), labels, workspace));
        }
        else
        {
            var model = new SigmoidClassifierFloat(new DenseFloat(As<float>(w1), As<float>(b1)), new DenseFloat(As<float>(w2), As<float>(b2)));
            _gradGen = SgdStep<float, SigmoidClassifierFloat, SigmoidClassifierFloat.Gradient>(model, () => model.LossWithGradient(As<float>(x), labels, workspace));
        }

        var type = typeof(T) == typeof(double) ? ScalarType.Float64 : ScalarType.Float32;
        var first = nn.Linear(inputs, hidden, dtype: type);
        var second = nn.Linear(hidden, classes, dtype: type);
        Load(first, w1, b1);
        Load(second, w2, b2);
        var network = nn.Sequential(("hidden", first), ("activation", relu ? nn.ReLU() : nn.Sigmoid()), ("output", second));
        var (tx, tlabels) = (ToTensor(x), tensor(labels.Select(l => (long)l).ToArray()));
        var sgd = optim.SGD(network.parameters(), LearningRate);
        _torch = () =>
        {
            using var scope = NewDisposeScope();
            sgd.zero_grad();
            var loss = nn.functional.cross_entropy(network.forward(tx), tlabels);
            loss.backward();
            sgd.step();
            return loss.to_type(ScalarType.Float64).item<double>();
        };
    }

    /// <summary>GradGen's step as its user writes it: the loss and its gradient, then the optimizer's step.</summary>
    private static Func<double> SgdStep<T, TModel, TGradient>(TModel model, Func<(T Loss, TGradient Gradient)> lossWithGradient)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
        where TModel : IModel<T, TGradient>
        where TGradient : IModel<T>
    {
        var optimizer = new Sgd<T>(LearningRate);
        return () =>
        {
            var (loss, gradient) = lossWithGradient();
            optimizer.Step(model, gradient);
            return double.CreateChecked(loss);
        };
    }

    /// <summary>Uniform in ±1/√rows, as the other suites' weights.</summary>
    private static Matrix<T> Uniform<T>(Random random, int rows, int columns) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, columns);
        for (var i = 0; i < m.Length; i++) m.Span[i] = T.CreateChecked((random.NextDouble() * 2 - 1) / Math.Sqrt(rows));
        return m;
    }

    private static Matrix<TTo> As<TTo>(object matrix) where TTo : unmanaged, System.Numerics.IFloatingPointIeee754<TTo> => (Matrix<TTo>)matrix;

    /// <summary>Copies GradGen's inputs × outputs weight (and 1 × outputs bias) into a <c>Linear</c>, whose weight is outputs × inputs.</summary>
    private static void Load<T>(nn.Module<Tensor, Tensor> linear, Matrix<T> weight, Matrix<T>? bias) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var _ = no_grad();
        var parameters = linear.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        parameters["weight"].copy_(ToTensor(weight).t());
        if (bias is not null) parameters["bias"].copy_(ToTensor(bias).reshape(-1));
    }

    private static Tensor ToTensor<T>(Matrix<T> m) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double)
            ? tensor(((Matrix<double>)(object)m).Span.ToArray(), [m.Rows, m.Columns])
            : tensor(((Matrix<float>)(object)m).Span.ToArray(), [m.Rows, m.Columns]);
}
