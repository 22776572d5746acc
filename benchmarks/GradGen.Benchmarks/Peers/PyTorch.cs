using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace GradGen.Benchmarks.Peers;

/// <summary>PyTorch's times for the peer steps, from <c>pytorch_steps.py</c> run in another process (Debian's python3-torch).</summary>
internal sealed record PyTorch(string Version, IReadOnlyDictionary<string, (double Microseconds, int Threads)> Steps)
{
    /// <summary>Runs the script; null, with the reason on the console, when python3 or torch is missing or the script fails.</summary>
    public static PyTorch? Run()
    {
        var script = Path.Combine(Path.GetDirectoryName(ThisFile())!, "pytorch_steps.py");
        // Debian's python3-torch is in the system's python, which another python3 on the path (pyenv's) would hide.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        try
        {
            using var process = Process.Start(new ProcessStartInfo(python, [script]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                Console.Error.WriteLine("PyTorch's steps were not measured (apt-get install python3-torch): " + error.Trim());
                return null;
            }
            using var json = JsonDocument.Parse(output);
            var steps = new Dictionary<string, (double, int)>();
            foreach (var step in json.RootElement.GetProperty("steps").EnumerateObject())
            {
                steps[step.Name] = (step.Value.GetProperty("microseconds").GetDouble(), step.Value.GetProperty("threads").GetInt32());
            }
            return new PyTorch(json.RootElement.GetProperty("torch").GetString()!, steps);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Console.Error.WriteLine("PyTorch's steps were not measured (no python3): " + e.Message);
            return null;
        }
    }

    private static string ThisFile([CallerFilePath] string path = "") => path;
}
