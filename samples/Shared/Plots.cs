using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using ScottPlot;

/// <summary>The samples' pictures, as PNG files under each sample's <c>plots/</c> folder (ScottPlot, headless).</summary>
public static class Plots
{
    /// <summary>The sample's <c>plots/</c> folder, made if needed: beside the calling Program.cs.</summary>
    public static string Folder([CallerFilePath] string program = "") =>
        Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(program)!, "plots")).FullName;

    /// <summary>Training curves: one line per series, by epoch; a log scale for losses that fall by orders of magnitude.</summary>
    public static string Curves(string path, string title, string yLabel, IReadOnlyList<(string Name, IReadOnlyList<(int Epoch, double Value)> Points)> series, bool logScale = false)
    {
        var plot = new Plot();
        foreach (var (name, points) in series)
        {
            var line = plot.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => logScale ? Math.Log10(p.Value) : p.Value).ToArray());
            line.LegendText = name;
            line.MarkerSize = 0;
            line.LineWidth = 2;
        }
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(logScale ? "log₁₀ " + yLabel : yLabel);
        if (series.Count > 1) plot.ShowLegend();
        return Save(plot, path, 800, 500);
    }

    /// <summary>A classifier's decision regions over a grid, with the labelled points on top.</summary>
    public static string DecisionRegions(string path, string title, Func<double[,], int[]> classify, double[] xs, double[] ys, int[] labels,
        (double Min, double Max) xRange, (double Min, double Max) yRange, int resolution = 200)
    {
        var grid = new double[resolution * resolution, 2];
        for (var i = 0; i < resolution; i++)
        for (var j = 0; j < resolution; j++)
        {
            grid[i * resolution + j, 0] = xRange.Min + (xRange.Max - xRange.Min) * (j + 0.5) / resolution;
            grid[i * resolution + j, 1] = yRange.Max - (yRange.Max - yRange.Min) * (i + 0.5) / resolution;
        }
        var classes = classify(grid);
        var regions = new double[resolution, resolution];
        for (var i = 0; i < resolution; i++) for (var j = 0; j < resolution; j++) regions[i, j] = classes[i * resolution + j];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(regions);
        heatmap.Extent = new CoordinateRect(xRange.Min, xRange.Max, yRange.Min, yRange.Max);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        heatmap.Opacity = 0.35;
        // Each class's points in its region's color, at full strength over the faded regions.
        var (lowest, highest) = (Math.Min(labels.Min(), classes.Min()), Math.Max(labels.Max(), classes.Max()));
        foreach (var label in labels.Distinct().Order())
        {
            var points = Enumerable.Range(0, labels.Length).Where(i => labels[i] == label).ToArray();
            var scatter = plot.Add.ScatterPoints(points.Select(i => xs[i]).ToArray(), points.Select(i => ys[i]).ToArray());
            scatter.Color = heatmap.Colormap.GetColor(highest == lowest ? 0 : (label - lowest) / (double)(highest - lowest));
            scatter.MarkerSize = 7;
            scatter.LegendText = "class " + label;
        }
        plot.ShowLegend();
        plot.Title(title);
        return Save(plot, path, 700, 700);
    }

    /// <summary>A regression's fit: the data as points, the model's prediction as a line.</summary>
    public static string Fit(string path, string title, double[] x, double[] y, double[] prediction)
    {
        var plot = new Plot();
        var data = plot.Add.ScatterPoints(x, y);
        data.LegendText = "data";
        var model = plot.Add.ScatterLine(x, prediction);
        model.LegendText = "network";
        model.LineWidth = 2;
        plot.ShowLegend();
        plot.Title(title);
        return Save(plot, path, 800, 500);
    }

    /// <summary>A matrix as a heatmap (a confusion matrix): element [i, j] at x = j, y = i.</summary>
    public static string Heatmap(string path, string title, double[,] values)
    {
        // ScottPlot draws the first row at the top; the axes count up from the bottom.
        var (rows, columns) = (values.GetLength(0), values.GetLength(1));
        var flipped = new double[rows, columns];
        for (var i = 0; i < rows; i++) for (var j = 0; j < columns; j++) flipped[rows - 1 - i, j] = values[i, j];
        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(flipped);
        heatmap.Colormap = new ScottPlot.Colormaps.Viridis();
        plot.Add.ColorBar(heatmap);
        plot.Title(title);
        return Save(plot, path, 700, 600);
    }

    private static string Save(Plot plot, string path, int width, int height)
    {
        plot.SavePng(path, width, height);
        return path;
    }
}
