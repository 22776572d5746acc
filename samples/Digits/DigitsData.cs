using System;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using GradGen;

namespace Digits;

/// <summary>The UCI handwritten digits (see DATA.md): pixels scaled to [0, 1], split into training and test rows.</summary>
public static class DigitsData
{
    public const int Pixels = 64, Classes = 10;

    public static (Matrix<float> X, int[] Labels) Load(string path)
    {
        using var reader = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var rows = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var x = new Matrix<float>(rows.Length, Pixels);
        for (var r = 0; r < rows.Length; r++)
        for (var c = 0; c < Pixels; c++) x[r, c] = rows[r][c] / 16f;
        return (x, rows.Select(row => row[Pixels]).ToArray());
    }

    /// <summary>A seeded shuffle, then the last <paramref name="testFraction"/> of the rows held out.</summary>
    public static ((Matrix<float> X, int[] Labels) Train, (Matrix<float> X, int[] Labels) Test) Split(Matrix<float> x, int[] labels, double testFraction, int seed)
    {
        var order = Enumerable.Range(0, labels.Length).ToArray();
        new Random(seed).Shuffle(order);
        var testCount = (int)(labels.Length * testFraction);
        return (Rows(x, labels, order[..^testCount]), Rows(x, labels, order[^testCount..]));
    }

    private static (Matrix<float>, int[]) Rows(Matrix<float> x, int[] labels, int[] rows)
    {
        var result = new Matrix<float>(rows.Length, x.Columns);
        for (var i = 0; i < rows.Length; i++) x.Row(rows[i]).CopyTo(result.Row(i));
        return (result, rows.Select(r => labels[r]).ToArray());
    }
}
