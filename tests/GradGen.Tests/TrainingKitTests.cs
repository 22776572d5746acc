using System.Buffers.Binary;
using System.Text;
using GradGen.Tests.Functions;

namespace GradGen.Tests;

/// <summary>
/// The training kit against its definitions: each optimizer's first three steps against PyTorch 2's torch.optim on the
/// same parameters and gradients (numbers printed by PyTorch, see the comment), the schedules, the initializers'
/// statistics, mini-batches, and safetensors files (round trip to the bit, a file built byte by byte from the
/// specification, and clear errors).
/// </summary>
public class TrainingKitTests
{
    // PyTorch (torch 2, float64): p = [0.5, −1.25, 2.0, 0.75]; for g in Gradients: p.grad = g; optimizer.step().
    private static readonly double[] Initial = [0.5, -1.25, 2.0, 0.75];
    private static readonly double[][] Gradients = [[0.3, -0.2, 0.9, -1.1], [-0.4, 0.5, 0.1, 0.2], [0.05, -0.6, -0.3, 0.7]];

    public static TheoryData<string, double[]> PyTorchSteps => new()
    {
        { "SGD(lr=0.1)", [0.505, -1.22, 1.93, 0.77] },
        { "SGD(lr=0.1, momentum=0.9, weight_decay=0.01)", [0.4869713695, -1.22381947875, 1.7562415079999998, 0.9354982092499999] },
        { "SGD(lr=0.1, momentum=0.9, nesterov=True)", [0.49573, -1.20272, 1.7203899999999999, 0.94109] },
        { "Adam(lr=0.1)", [0.4278744023907814, -1.1694939102220636, 1.7903962959690933, 0.9031390748382123] },
        { "Adam(lr=0.1, weight_decay=0.1)", [0.40038523447796226, -1.1174740393601883, 1.7584443362970221, 0.8842028519611558] },
        { "AdamW(lr=0.1, weight_decay=0.1)", [0.41482039192078446, -1.1339154448703912, 1.7337324686527429, 0.8783472649833611] },
        { "RMSprop(lr=0.1)", [0.20126541477984364, -0.4330156345418684, 1.2063450934205826, 1.0358010744410548] },
        { "RMSprop(lr=0.1, momentum=0.5, weight_decay=0.01)", [-0.1445020673729107, -0.1322115355699333, 0.3782955430758485, 1.6588048823978856] },
    };

    [Theory]
    [MemberData(nameof(PyTorchSteps))]
    public void Three_steps_of_each_optimizer_equal_PyTorchs(string pytorch, double[] expected)
    {
        Optimizer<double> optimizer = pytorch switch
        {
            "SGD(lr=0.1)" => new Sgd<double>(0.1),
            "SGD(lr=0.1, momentum=0.9, weight_decay=0.01)" => new Sgd<double>(0.1, momentum: 0.9, weightDecay: 0.01),
            "SGD(lr=0.1, momentum=0.9, nesterov=True)" => new Sgd<double>(0.1, momentum: 0.9, nesterov: true),
            "Adam(lr=0.1)" => new Adam<double>(0.1),
            "Adam(lr=0.1, weight_decay=0.1)" => new Adam<double>(0.1, weightDecay: 0.1),
            "AdamW(lr=0.1, weight_decay=0.1)" => new AdamW<double>(0.1, weightDecay: 0.1),
            "RMSprop(lr=0.1)" => new RmsProp<double>(0.1),
            _ => new RmsProp<double>(0.1, momentum: 0.5, weightDecay: 0.01),
        };
        // A model of four numbers (two fields and an array of two), updated in visit order.
        var model = new ScalarModel { A = Initial[0], B = Initial[1], C = [Initial[2], Initial[3]] };
        foreach (var g in Gradients) optimizer.Step(model, new ScalarModel.Gradient { A = g[0], B = g[1], C = [g[2], g[3]] });

        double[] actual = [model.A, model.B, model.C[0], model.C[1]];
        for (var i = 0; i < 4; i++) Tolerance.AssertClose(expected[i], actual[i], Tolerance.Double, $"{pytorch}, parameter {i}");
        Assert.Equal(3, optimizer.Steps);
    }

    [Fact]
    public void Sgd_updates_every_element_of_a_parameter_large_enough_to_be_shared_between_the_cores()
    {
        // 2¹⁷ elements and more are updated by the crew in groups: an odd length, so that the last group is short.
        var random = new Random(5);
        var (values, gradients) = (new double[200_003], new double[200_003]);
        for (var i = 0; i < values.Length; i++) (values[i], gradients[i]) = (random.NextDouble() - 0.5, random.NextDouble() - 0.5);
        var model = new ScalarModel { C = (double[])values.Clone() };
        new Sgd<double>(0.25).Step(model, new ScalarModel.Gradient { C = gradients });
        for (var i = 0; i < values.Length; i++)
        {
            var expected = values[i] - 0.25 * gradients[i];
            Assert.True(Math.Abs(model.C[i] - expected) <= 2.3e-16 * (Math.Abs(values[i]) + Math.Abs(0.25 * gradients[i])), $"element {i}: {model.C[i]:R}, expected {expected:R}");
        }
    }

    [Fact]
    public void One_optimizer_serves_one_model()
    {
        var optimizer = new Adam<double>();
        optimizer.Step(new ScalarModel { C = [1, 2] }, new ScalarModel.Gradient { C = [1, 1] });
        var error = Assert.Throws<InvalidOperationException>(() => optimizer.Step(new ScalarModel { C = [1, 2, 3] }, new ScalarModel.Gradient { C = [1, 1, 1] }));
        Assert.Contains("one optimizer per model", error.Message);
        Assert.Throws<ArgumentException>(() => new Sgd<double>(0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => optimizer.Step(new ScalarModel { C = [1, 2] }, new ScalarModel.Gradient { C = [1] }));
    }

    [Fact]
    public void Schedules_give_PyTorchs_and_Hugging_Faces_rates()
    {
        // torch.optim.lr_scheduler.StepLR(step_size=3, gamma=0.5) and ExponentialLR(gamma=0.9) from lr 0.2, stepped after each optimizer step.
        double[] stepLr = [0.2, 0.2, 0.2, 0.1, 0.1, 0.1, 0.05, 0.05];
        double[] exponentialLr = [0.2, 0.18000000000000002, 0.16200000000000003, 0.14580000000000004, 0.13122000000000003, 0.11809800000000004, 0.10628820000000004, 0.09565938000000004];
        for (var k = 0; k < 8; k++)
        {
            Tolerance.AssertClose(stepLr[k], LearningRateSchedule.StepDecay(0.2, every: 3, gamma: 0.5).Rate(k), Tolerance.Double, $"StepLR at {k}");
            Tolerance.AssertClose(exponentialLr[k], LearningRateSchedule.Exponential(0.2, 0.9).Rate(k), Tolerance.Double, $"ExponentialLR at {k}");
        }
        // get_cosine_schedule_with_warmup(warmup 4, total 12): linear up, then 0.5·(1 + cos(π·progress)), 0 from the end on.
        var cosine = LearningRateSchedule.CosineWithWarmup(1.0, warmupSteps: 4, totalSteps: 12);
        Assert.Equal([0, 0.25, 0.5, 0.75, 1], Enumerable.Range(0, 5).Select(cosine.Rate));
        Tolerance.AssertClose(0.5, cosine.Rate(8), Tolerance.Double, "cosine at half way");
        Tolerance.AssertClose(0.5 * (1 + Math.Cos(Math.PI * 3 / 8)), cosine.Rate(7), Tolerance.Double, "cosine at 3/8");
        Assert.Equal(0, cosine.Rate(12), 15);
        Assert.Equal(0, cosine.Rate(20), 15);
        Tolerance.AssertClose(0.05 / (1 + 5e-7 * 1000), LearningRateSchedule.InverseTime(0.05, 5e-7).Rate(1000), Tolerance.Double, "inverse time");

        // The optimizer takes step k at Rate(k).
        var optimizer = new Sgd<double>(1) { Schedule = LearningRateSchedule.StepDecay(0.2, every: 1, gamma: 0.5) };
        var model = new ScalarModel { A = 1, C = [0, 0] };
        for (var k = 0; k < 3; k++) optimizer.Step(model, new ScalarModel.Gradient { A = 1, C = [0, 0] });
        Tolerance.AssertClose(1 - 0.2 - 0.1 - 0.05, model.A, Tolerance.Double, "scheduled steps");
        Assert.Equal(0.05, optimizer.LearningRate, 15);
    }

    [Theory]
    [InlineData("GlorotUniform", 30, 50)]
    [InlineData("GlorotNormal", 30, 50)]
    [InlineData("HeUniform", 40, 60)]
    [InlineData("HeNormal", 40, 60)]
    public void Initializers_have_their_bounds_and_deviations(string name, int fanIn, int fanOut)
    {
        Matrix<double> Draw(int seed) => name switch
        {
            "GlorotUniform" => Initializers.GlorotUniform<double>(fanIn, fanOut, new Random(seed)),
            "GlorotNormal" => Initializers.GlorotNormal<double>(fanIn, fanOut, new Random(seed)),
            "HeUniform" => Initializers.HeUniform<double>(fanIn, fanOut, new Random(seed)),
            _ => Initializers.HeNormal<double>(fanIn, fanOut, new Random(seed)),
        };
        var m = Draw(1);
        Assert.Equal((fanIn, fanOut), (m.Rows, m.Columns));
        Assert.Equal(m, Draw(1));   // seeded
        Assert.NotEqual(m, Draw(2));
        var values = m.Span.ToArray();
        // torch.nn.init: Glorot σ = √(2/(in+out)), He σ = √(2/in); a uniform U(−a, a) has σ = a/√3.
        var deviation = name.StartsWith("Glorot") ? Math.Sqrt(2.0 / (fanIn + fanOut)) : Math.Sqrt(2.0 / fanIn);
        var mean = values.Average();
        var measured = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        // n = 1500–2400 draws: the standard error of a deviation is σ/√(2n) < 2 %; 8 % is four of them.
        Assert.InRange(measured / deviation, 0.92, 1.08);
        Assert.InRange(Math.Abs(mean) / deviation, 0, 4 / Math.Sqrt(values.Length));
        if (name.EndsWith("Uniform")) Assert.All(values, v => Assert.InRange(Math.Abs(v), 0, deviation * Math.Sqrt(3)));
    }

    [Fact]
    public void Mini_batches_cover_every_row_once_per_epoch_in_a_new_order_with_their_labels()
    {
        var x = new Matrix<double>(10, 2);
        for (var r = 0; r < 10; r++) (x[r, 0], x[r, 1]) = (r, 100 + r);
        var labels = Enumerable.Range(0, 10).Select(r => r % 3).ToArray();
        var batches = new MiniBatches<double>(x, labels, batchSize: 4, new Random(1));
        Assert.Equal(3, batches.Count);

        var orders = new List<int[]>();
        for (var epoch = 0; epoch < 2; epoch++)
        {
            var rows = new List<int>();
            var sizes = new List<int>();
            foreach (var batch in batches)
            {
                sizes.Add(batch.X.Rows);
                for (var r = 0; r < batch.X.Rows; r++)
                {
                    var row = (int)batch.X[r, 0];
                    Assert.Equal(100 + row, batch.X[r, 1]);
                    Assert.Equal(labels[row], batch.Labels![r]);
                    rows.Add(row);
                }
            }
            Assert.Equal([4, 4, 2], sizes);
            Assert.Equal(Enumerable.Range(0, 10), rows.Order());
            orders.Add([.. rows]);
        }
        Assert.NotEqual(orders[0], orders[1]);

        var dropped = new MiniBatches<double>(x, x, batchSize: 4, shuffle: null, dropLast: true);
        Assert.Equal(2, dropped.Count);
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7], dropped.SelectMany(b => Enumerable.Range(0, b.Targets!.Rows).Select(r => b.Targets[r, 0])).ToList());
        Assert.Throws<ArgumentException>(() => new MiniBatches<double>(x, labels[..9], batchSize: 4));
    }

    [Fact]
    public void Saving_then_loading_gives_the_same_bits()
    {
        var model = ModelTests.TwoLayer(new Random(9));
        // Numbers a text format would lose: −0, a subnormal, NaN with a payload, infinities, the largest double.
        double[] edges = [-0.0, double.Epsilon * 3, BitConverter.Int64BitsToDouble(0x7FF8_0000_DEAD_BEEF), double.PositiveInfinity, double.NegativeInfinity, double.MaxValue];
        edges.CopyTo(model.Hidden.Weight.Span);
        model.Temperature = 1.0 / 3;
        var path = Path.GetTempFileName();
        try
        {
            model.Save(path);
            var loaded = ModelTests.TwoLayer(new Random(10));
            loaded.LoadFrom(path);
            var (saved, read) = (model.NamedParameters(), loaded.NamedParameters());
            Assert.Equal(saved.Select(p => p.Name), read.Select(p => p.Name));
            for (var i = 0; i < saved.Count; i++)
            {
                Assert.Equal(saved[i].Value.Span.ToArray().Select(BitConverter.DoubleToInt64Bits), read[i].Value.Span.ToArray().Select(BitConverter.DoubleToInt64Bits));
            }
            Assert.Equal(1.0 / 3, loaded.Temperature);

            // The header: PyTorch's names, shapes (a number has shape []), dtypes, offsets in visit order.
            var bytes = File.ReadAllBytes(path);
            var header = Encoding.UTF8.GetString(bytes, 8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes));
            Assert.Contains("\"hidden.weight\":{\"dtype\":\"F64\",\"shape\":[3,5],\"data_offsets\":[0,120]}", header);
            Assert.Contains("\"temperature\":{\"dtype\":\"F64\",\"shape\":[],\"data_offsets\":[", header);
            Assert.Equal(0, (8 + header.Length) % 8);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_file_built_byte_by_byte_from_the_specification_loads()
    {
        // Written as a Python safetensors writer would: F32 tensors in an order other than the model's, a __metadata__ entry, no padding.
        var model = new StructModel { Weights = [new Matrix<float>(2, 2), new Matrix<float>(1, 3)], Mask = new Matrix<float>(1, 1) };
        var header = "{\"weights.1\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[0,12]},\"__metadata__\":{\"format\":\"pt\"},\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[12,28]}}";
        var data = new float[] { 5, 6, 7, 1, 2, 3, 4 };
        var file = new List<byte>();
        file.AddRange(BitConverter.GetBytes((ulong)Encoding.UTF8.GetByteCount(header)));
        file.AddRange(Encoding.UTF8.GetBytes(header));
        foreach (var v in data) file.AddRange(BitConverter.GetBytes(v));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, file.ToArray());
            model.LoadFrom(path);
            Assert.Equal([1f, 2, 3, 4], model.Weights[0].Span.ToArray());
            Assert.Equal([5f, 6, 7], model.Weights[1].Span.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static TheoryData<string, string> WrongFiles => new()
    {
        { "not json", "its header is not JSON" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", "has no tensor 'weights.1'" },
        { "{\"weights.0\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},\"weights.1\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[32,44]}}", "has 'weights.0' as F64 and the model's parameters are Single (F32)" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[4,1],\"data_offsets\":[0,16]},\"weights.1\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[16,28]}}", "has 'weights.0' of shape [4, 1] and the model's is [2, 2]" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"weights.1\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[16,28]},\"bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[28,32]}}", "has a tensor 'bias' that the model does not" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"weights.1\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[16,999]}}", "the tensor 'weights.1' has data_offsets [16, 999] outside its 48 bytes of data" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]},\"weights.1\":{\"dtype\":\"F32\",\"shape\":[1,3],\"data_offsets\":[8,20]}}", "the tensors 'weights.0' and 'weights.1' overlap" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,2]}}", "the tensor 'weights.0' needs a dtype, a shape and two data_offsets" },
        { "{\"weights.0\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,16]}}", "is F32 [2, 3], 24 bytes, and its data_offsets span 16" },
    };

    [Theory]
    [MemberData(nameof(WrongFiles))]
    public void A_wrong_file_is_a_clear_error_naming_the_tensor_and_loads_nothing(string header, string message)
    {
        var model = new StructModel { Weights = [Matrix<float>.Filled(2, 2, 9), Matrix<float>.Filled(1, 3, 9)], Mask = new Matrix<float>(1, 1) };
        var file = new List<byte>();
        file.AddRange(BitConverter.GetBytes((ulong)Encoding.UTF8.GetByteCount(header)));
        file.AddRange(Encoding.UTF8.GetBytes(header));
        file.AddRange(new byte[48]);
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, file.ToArray());
            var error = Assert.Throws<InvalidDataException>(() => model.LoadFrom(path));
            Assert.Contains(message, error.Message);
            Assert.All(model.Weights, w => Assert.All(w.Span.ToArray(), v => Assert.Equal(9f, v)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_truncated_file_is_a_clear_error()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [1, 2, 3]);
            Assert.Contains("fewer than the 8", Assert.Throws<InvalidDataException>(() => new ScalarModel().LoadFrom(path)).Message);
            File.WriteAllBytes(path, BitConverter.GetBytes(1000UL));
            Assert.Contains("header length is 1000 bytes", Assert.Throws<InvalidDataException>(() => new ScalarModel().LoadFrom(path)).Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
