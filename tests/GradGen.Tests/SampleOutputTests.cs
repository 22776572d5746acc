using System.Runtime.CompilerServices;
using SkiaSharp;

namespace GradGen.Tests;

/// <summary>What the samples show a person: PNG plots that exist, have their size and are not blank; the digits classifier.</summary>
public class SampleOutputTests
{
    [Fact]
    public void Plots_are_pngs_of_their_size_with_something_drawn()
    {
        var folder = Directory.CreateTempSubdirectory("gradgen-plots-").FullName;
        try
        {
            var curve = Enumerable.Range(0, 50).Select(i => (i, 1.0 / (i + 1))).ToList();
            AssertPicture(Plots.Curves(Path.Combine(folder, "loss.png"), "loss", "loss", [("training", curve), ("held out", curve.Select(p => (p.i, p.Item2 * 2)).ToList())], logScale: true), 800, 500);
            double[] xs = [0, 1, 0, 1], ys = [0, 0, 1, 1];
            AssertPicture(Plots.DecisionRegions(Path.Combine(folder, "regions.png"), "regions",
                grid => Enumerable.Range(0, grid.GetLength(0)).Select(i => grid[i, 0] + grid[i, 1] > 1 ? 1 : 0).ToArray(), xs, ys, [0, 0, 0, 1], (-0.5, 1.5), (-0.5, 1.5), resolution: 50), 700, 700);
            var x = Enumerable.Range(0, 40).Select(i => i / 10.0).ToArray();
            AssertPicture(Plots.Fit(Path.Combine(folder, "fit.png"), "fit", x, x.Select(Math.Sin).ToArray(), x.Select(v => Math.Sin(v) * 0.9).ToArray()), 800, 500);
            AssertPicture(Plots.Heatmap(Path.Combine(folder, "confusion.png"), "confusion", new double[,] { { 5, 1 }, { 0, 7 } }), 700, 600);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void Digits_sample_classifies_held_out_handwritten_digits()
    {
        var (x, labels) = Digits.DigitsData.Load(Path.Combine(RepositoryRoot(), "samples", "Digits", "digits.csv.gz"));
        Assert.Equal((1797, 64), (x.Rows, x.Columns));
        Assert.Equal(Enumerable.Range(0, 10), labels.Distinct().Order());
        var (train, test) = Digits.DigitsData.Split(x, labels, testFraction: 0.2, seed: 1);
        var (network, history) = Digits.Training.Train(train, test, hidden: 32, epochs: 30, rate: 0.005, seed: 1);
        Assert.True(history.Loss[^1].Value < history.Loss[0].Value / 10, $"loss {history.Loss[0].Value} → {history.Loss[^1].Value}");
        Assert.True(network.Accuracy(test.X, test.Labels) > 0.93, $"held-out accuracy {network.Accuracy(test.X, test.Labels):P1}");
    }

    /// <summary>A PNG of the given size, not blank: several colors, and ink on more than a few percent of it.</summary>
    private static void AssertPicture(string path, int width, int height)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        using var bitmap = SKBitmap.Decode(path);
        Assert.NotNull(bitmap);
        Assert.Equal((width, height), (bitmap.Width, bitmap.Height));
        var pixels = bitmap.Pixels;
        var colors = pixels.Distinct().Count();
        var inked = pixels.Count(p => p.Red < 200 || p.Green < 200 || p.Blue < 200) / (double)pixels.Length;
        Assert.True(colors > 10 && inked > 0.02, $"{Path.GetFileName(path)}: {colors} colors, {inked:P1} inked: blank");
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
