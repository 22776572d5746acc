using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace GradGen.Tests;

/// <summary>
/// GradGen as a user gets it: one NuGet package, restored from a folder into a fresh project, which
/// builds and runs a generated gradient. Catches what works through ProjectReference but not as a package
/// (the generator missing from analyzers/dotnet/cs, a dependency the package does not carry…).
/// </summary>
public class PackageTests
{
    private const string Consumer = """
        using System;
        using GradGen;

        var (loss, dw1, dw2, db) = Functions.LossWithGradient(-4, 3, -1, 1.5, 2.5, 1);
        Console.WriteLine(FormattableString.Invariant($"L={loss:F4} dL_dw1={dw1:F4} dL_dw2={dw2:F4} dL_db={db:F4}"));

        static partial class Functions
        {
            [Differentiable]
            public static double Loss(double w1, double w2, double b, [NoDerivative] double x1, [NoDerivative] double x2, [NoDerivative] double y)
            {
                double yhat = 1 / (1 + Math.Exp(-(w1 * x1 + w2 * x2 + b)));
                return -y * Math.Log(yhat) - (1 - y) * Math.Log(1 - yhat);
            }
        }
        """;

    [Fact]
    [Trait("Lane", "Slow")]
    public void The_package_installs_into_a_fresh_project_and_its_generated_gradient_runs()
    {
        var work = Directory.CreateTempSubdirectory("gradgen-package-");
        try
        {
            var feed = Path.Combine(work.FullName, "feed");
            var consumer = Directory.CreateDirectory(Path.Combine(work.FullName, "consumer")).FullName;
            const string version = "0.0.0-packagetest";

            var pack = Dotnet(RepositoryRoot(), $"pack src/GradGen/GradGen.csproj -c Release -o \"{feed}\" -p:Version={version} -p:CI=true");
            Assert.DoesNotContain(": warning ", pack);
            var package = Path.Combine(feed, $"GradGen.{version}.nupkg");
            Assert.True(File.Exists(package), "dotnet pack made no package");
            using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
            {
                var entries = zip.Entries.Select(e => e.FullName).ToList();
                Assert.Contains("analyzers/dotnet/cs/GradGen.Generator.dll", entries);
                Assert.Contains("lib/net8.0/GradGen.dll", entries);
                Assert.Contains("icon.png", entries);
                // Symbols travel inside the assembly: an embedded portable PDB.
                using (var assembly = new MemoryStream())
                {
                    using (var entry = zip.GetEntry("lib/net8.0/GradGen.dll")!.Open()) entry.CopyTo(assembly);
                    assembly.Position = 0;
                    using var pe = new System.Reflection.PortableExecutable.PEReader(assembly);
                    Assert.Contains(pe.ReadDebugDirectory(), d => d.Type == System.Reflection.PortableExecutable.DebugDirectoryEntryType.EmbeddedPortablePdb);
                }
                var nuspec = Read(zip, "GradGen.nuspec");
                foreach (var element in new[] { "<license type=\"expression\">MIT</license>", "<icon>icon.png</icon>", "<readme>README.md</readme>", "<projectUrl>https://", "<repository type=\"git\" url=\"https://", "<tags>" })
                {
                    Assert.Contains(element, nuspec);
                }
                // The package page shows the readme outside the repository: every link must be absolute.
                var readme = Read(zip, "README.md");
                Assert.Empty(System.Text.RegularExpressions.Regex.Matches(readme, @"\]\((?!https://)[^)]*\)"));
            }

            File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
                <configuration>
                  <packageSources>
                    <!-- The machine's usual sources stay: the package's own dependencies come from there. -->
                    <add key="local" value="{feed}" />
                  </packageSources>
                </configuration>
                """);

            // The lowest framework the package serves and the newest, as fresh projects restore it.
            foreach (var framework in new[] { "net8.0", "net10.0" })
            {
                File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
                    <Project Sdk="Microsoft.NET.Sdk">
                      <PropertyGroup>
                        <OutputType>Exe</OutputType>
                        <TargetFramework>{framework}</TargetFramework>
                        <!-- Runs on the newest runtime the machine has (a net8.0 app, where only .NET 10 is installed). -->
                        <RollForward>Major</RollForward>
                        <Nullable>enable</Nullable>
                        <RestorePackagesPath>{Path.Combine(work.FullName, "packages")}</RestorePackagesPath>
                      </PropertyGroup>
                      <ItemGroup>
                        <PackageReference Include="GradGen" Version="{version}" />
                      </ItemGroup>
                    </Project>
                    """);
                File.WriteAllText(Path.Combine(consumer, "Program.cs"), Consumer);
                Assert.Contains("L=0.4741 dL_dw1=-0.5663 dL_dw2=-0.9439 dL_db=-0.3775", Dotnet(consumer, "run -c Release"));
            }
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static string Read(System.IO.Compression.ZipArchive zip, string entry)
    {
        using var reader = new StreamReader(zip.GetEntry(entry)!.Open());
        return reader.ReadToEnd();
    }

    private static string Dotnet(string directory, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments + " --disable-build-servers -p:UseSharedCompilation=false")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(5)), $"dotnet {arguments} timed out");
        var output = stdout.Result + stderr.Result;
        Assert.True(process.ExitCode == 0, $"dotnet {arguments} failed:\n{output}");
        return output;
    }

    private static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
