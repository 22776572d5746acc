using System.Threading;
using Spiral;
using Xor;
using static GradGen.Tests.TestMatrices;

namespace GradGen.Tests;

/// <summary>
/// Generated code over a <see cref="Workspace"/>: the same gradients to the bit as without one (the buffers it reuses
/// hold the previous step's values), whatever the shapes do between steps, and no allocation in a steady-state step.
/// </summary>
public class WorkspaceTests
{
    [Fact]
    public void Spiral_steps_over_a_workspace_equal_steps_without_one_and_follow_a_change_of_batch_size()
    {
        var random = new Random(3);
        var model = NetworkTests.SpiralWith(ToFloat(Random(random, 2, 16)), ToFloat(Random(random, 1, 16)), ToFloat(Random(random, 16, 3)), ToFloat(Random(random, 1, 3)));
        var workspace = new Workspace();
        foreach (var samples in new[] { 20, 20, 7, 20 })
        {
            var (x, labels) = SpiralData.Generate(samplesPerClass: samples, classes: 3, new Random(samples));
            var expected = model.LossWithGradient(x, labels);
            var actual = model.LossWithGradient(x, labels, workspace);
            Assert.Equal(expected.Value, actual.Value);
            Assert.Equal(expected.Gradient.NamedParameters(), actual.Gradient.NamedParameters());
        }
    }

    [Fact]
    public void Deep_network_steps_over_a_workspace_equal_steps_without_one()
    {
        // Loops with tapes, arrays of adjoints, and a [CustomPullback] that takes the workspace.
        var model = new DeepRegression.RegressionModel([1, 8, 8, 1], seed: 4);
        var (x, y) = DeepRegression.Training.Data(points: 16);
        var workspace = new Workspace();
        var optimizer = new Sgd<float>(0.1);
        for (var step = 0; step < 3; step++)
        {
            var (value, gradient) = model.LossWithGradient(x, y);
            var (reusedValue, reused) = model.LossWithGradient(x, y, workspace);
            Assert.Equal(value, reusedValue);
            Assert.Equal(gradient.NamedParameters(), reused.NamedParameters());
            optimizer.Step(model, gradient);
        }
    }

    [Fact]
    public void A_steady_state_spiral_training_step_with_adam_allocates_nothing()
    {
        var (x, labels) = SpiralData.Generate(samplesPerClass: 100, classes: 3, new Random(0));
        var model = new SpiralModel(2, 128, 3, new Random(5));
        var optimizer = new Adam<float>(0.01) { Schedule = LearningRateSchedule.CosineWithWarmup(0.01, warmupSteps: 2, totalSteps: 100) };
        var workspace = new Workspace();
        void Step()
        {
            var (_, gradient) = model.LossWithGradient(x, labels, workspace);
            gradient.ClipByGlobalNorm(1f);
            optimizer.Step(model, gradient);
        }

        for (var warmup = 0; warmup < 3; warmup++) Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_gradients_returned_never_share_a_matrix_and_parameters_nothing_reaches_get_zeros()
    {
        // a and b get the same adjoint (a + b's), passed on unchanged; c is read by no path to the result.
        var type = GeneratorHarness.Load("""
            using GradGen;
            public static partial class F
            {
                [Differentiable]
                public static double Sum(Matrix<double> a, Matrix<double> b, Matrix<double> c) => Matrix.Sum((a + b) * 2.0) + Matrix.Sum(Matrix.Relu(a - a));
            }
            """).GetType("F")!;
        var (a, b, c) = (Matrix<double>.Filled(2, 3, 1), Matrix<double>.Filled(2, 3, 2), Matrix<double>.Filled(1, 2, 3));
        foreach (var workspace in new[] { null, new Workspace(), new Workspace() })
        {
            var result = (System.Runtime.CompilerServices.ITuple)type.GetMethod("SumWithGradient")!.Invoke(null, [a, b, c, workspace])!;
            var (da, db, dc) = ((Matrix<double>)result[1]!, (Matrix<double>)result[2]!, (Matrix<double>)result[3]!);
            Assert.False(ReferenceEquals(da, db));
            Assert.Equal(Matrix<double>.Filled(2, 3, 2), db);
            Assert.Equal(new Matrix<double>(1, 2), dc);
            da.Span.Fill(-1);   // writing one gradient changes no other
            Assert.Equal(Matrix<double>.Filled(2, 3, 2), db);
        }
    }

    [Fact]
    public void A_steady_state_xor_step_allocates_nothing()
    {
        var random = new Random(6);
        var model = new XorModel(Random(random, 2, 3), Random(random, 3, 1));
        var optimizer = new Sgd<double>(0.1, momentum: 0.9, nesterov: true);
        var workspace = new Workspace();
        void Step()
        {
            var (_, gradient) = model.LossWithGradient(XorModel.Inputs, XorModel.Targets, workspace);
            optimizer.Step(model, gradient);
        }

        for (var warmup = 0; warmup < 3; warmup++) Step();
        var before = GC.GetAllocatedBytesForCurrentThread();
        Step();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_workspace_used_by_a_second_thread_during_a_step_is_refused()
    {
        var workspace = new Workspace();
        var x = Matrix<double>.FromRows([1, 2], [3, 4]);
        workspace.Reset();
        _ = Matrix.Relu(x, workspace: workspace);
        Exception? error = null;
        OnAnotherThread(() => error = Record.Exception(() => Matrix.Relu(x, workspace: workspace)));
        Assert.Contains("one thread at a time", Assert.IsType<InvalidOperationException>(error).Message);
        // A step started on another thread (Reset there) is that thread's: handing a workspace over is fine.
        OnAnotherThread(() => { workspace.Reset(); _ = Matrix.Relu(x, workspace: workspace); });
    }

    private static void OnAnotherThread(Action action)
    {
        var thread = new Thread(() => action());
        thread.Start();
        thread.Join();
    }

    [Fact]
    public void A_null_argument_names_the_parameter()
    {
        var error = Assert.Throws<ArgumentNullException>(() => Functions.LayerFunctions.CrossEntropyWithGradient(null!, [0]));
        Assert.Equal("probabilities", error.ParamName);
    }
}
