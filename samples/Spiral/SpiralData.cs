using System;
using GradGen;

namespace Spiral;

/// <summary>The nnfs book's spiral data: <c>classes</c> interleaved spiral arms in the plane, one per class.</summary>
public static class SpiralData
{
    public static (Matrix<float> Points, int[] Labels) Generate(int samplesPerClass, int classes, Random random)
    {
        var points = new Matrix<float>(samplesPerClass * classes, 2);
        var labels = new int[samplesPerClass * classes];
        for (var c = 0; c < classes; c++)
        {
            for (var i = 0; i < samplesPerClass; i++)
            {
                var row = c * samplesPerClass + i;
                var radius = (double)i / (samplesPerClass - 1);
                var angle = c * 4 + 4.0 * i / (samplesPerClass - 1) + Gaussian(random) * 0.2;
                points[row, 0] = (float)(radius * Math.Sin(angle * 2.5));
                points[row, 1] = (float)(radius * Math.Cos(angle * 2.5));
                labels[row] = c;
            }
        }
        return (points, labels);
    }

    /// <summary>A standard normal sample (Box–Muller).</summary>
    public static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
