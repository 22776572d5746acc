using System;
using Spectre.Console;

/// <summary>
/// Training progress: a live progress bar with the latest numbers on an interactive terminal (Spectre.Console), plain
/// lines every so many epochs when the output is redirected or runs under CI, so that logs stay short and fast.
/// </summary>
public static class TrainingProgress
{
    /// <summary>Runs <paramref name="train"/>, which reports (epoch, text) as it goes.</summary>
    /// <param name="every">In plain mode, one line per this many epochs (and the last).</param>
    public static void Run(string title, int epochs, int every, Action<Action<int, string>> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive || Environment.GetEnvironmentVariable("CI") is "true" or "1")
        {
            Console.WriteLine(title);
            train((epoch, text) =>
            {
                if (epoch % every == 0 || epoch == epochs - 1) Console.WriteLine($"  epoch {epoch,6}  {text}");
            });
            return;
        }
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: epochs);
                train((epoch, text) =>
                {
                    task.Value = epoch + 1;
                    task.Description = $"{title}  epoch {epoch + 1}/{epochs}  {Markup.Escape(text)}";
                });
            });
    }
}
