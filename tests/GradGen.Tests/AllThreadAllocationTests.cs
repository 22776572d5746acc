using Spiral;

namespace GradGen.Tests;

/// <summary>No test runs beside these: they count every thread's allocations.</summary>
[CollectionDefinition(nameof(AllThreadAllocationTests), DisableParallelization = true)]
public sealed class AllThreadAllocationCollection;

/// <summary>
/// Allocation on every thread (the matrix product's crew included), where <see cref="WorkspaceTests"/> counts the calling
/// thread's: a collection of its own, run when no other test runs, so that the process's allocations are the code's.
/// </summary>
[Collection(nameof(AllThreadAllocationTests))]
public class AllThreadAllocationTests
{
    [Fact]
    public void A_product_shared_between_the_cores_allocates_nothing_on_any_thread()
    {
        var (a, b) = (TestMatrices.Random(new Random(8), 300, 256), TestMatrices.Random(new Random(9), 256, 200));
        var c = new Matrix<double>(300, 200);
        var workspace = new Workspace();
        void Product() { workspace.Reset(); Matrix.MatMul(a, b, workspace: workspace).Span.CopyTo(c.Span); }
        for (var warmup = 0; warmup < 5; warmup++) Product();
        Assert.Equal(0, LeastAllocated(Product));
        TestMatrices.AssertClose(KernelTests.Reference(a, false, b, false), c, 1e-12 * 256);
    }

    [Fact]
    public void A_steady_state_step_of_products_shared_between_the_cores_allocates_nothing_on_any_thread()
    {
        // 512×256 inputs, 256 → 512 → 64: every product is large enough for the crew of the matrix product.
        var random = new Random(4);
        var x = Initializers.Uniform<float>(512, 256, 1, random);
        var labels = Enumerable.Range(0, 512).Select(i => i % 64).ToArray();
        var model = new SpiralModel(256, 512, 64, random);
        var optimizer = new Adam<float>(1e-3);
        var workspace = new Workspace();
        void Step()
        {
            var (_, gradient) = model.LossWithGradient(x, labels, workspace);
            optimizer.Step(model, gradient);
        }

        for (var warmup = 0; warmup < 3; warmup++) Step();
        Assert.Equal(0, LeastAllocated(Step));
    }

    /// <summary>The fewest bytes all threads allocated during one of a few runs (the test runner's own threads may allocate during one).</summary>
    private static long LeastAllocated(Action run)
    {
        var least = long.MaxValue;
        for (var i = 0; i < 5 && least > 0; i++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            run();
            least = Math.Min(least, GC.GetTotalAllocatedBytes(precise: true) - before);
        }
        return least;
    }
}
