using System.Diagnostics;

namespace ImagingValue.Cli.Tests.Support;

/// <summary>Runs the built imaging-value executable as a person would, and captures what it printed.</summary>
public static class CliRunner
{
    public static string Executable => Path.Combine(AppContext.BaseDirectory, "imaging-value");

    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    public static Result Run(string workingDirectory, params string[] args) => RunWithInput(workingDirectory, null, args);

    /// <summary>Runs with <paramref name="input"/> on standard input, then closes it; null leaves standard input alone.</summary>
    public static Result RunWithInput(string workingDirectory, string? input, params string[] args) => RunWith(workingDirectory, input, null, args);

    /// <summary>Runs with these environment variables set (a null value removes one).</summary>
    public static Result RunWithEnvironment(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunWith(workingDirectory, null, environment, args);

    private static Result RunWith(string workingDirectory, string? input, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        using var process = Start(workingDirectory, redirectInput: input is not null, args, environment);
        if (input is not null)
        {
            process.StandardInput.Write(input);
            process.StandardInput.Close();
        }

        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"imaging-value {string.Join(' ', args)} did not finish");
        }

        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    public static Process Start(string workingDirectory, params string[] args) => Start(workingDirectory, redirectInput: false, args);

    private static Process Start(string workingDirectory, bool redirectInput, string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(Executable)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException("could not start imaging-value");
    }
}

/// <summary>A throwaway folder deleted after the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("iv-cli-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>Reads a small CSV written by the tool (RFC 4180) into dictionaries by header name.</summary>
public static class Csv
{
    public static List<Dictionary<string, string>> Read(string path)
    {
        var rows = new List<Dictionary<string, string>>();
        using var reader = new ImagingValue.Import.Csv.CsvRecordReader(System.IO.File.OpenRead(path));
        var header = new List<string>();
        reader.Read(header);
        var fields = new List<string>();
        while (reader.Read(fields))
        {
            rows.Add(header.Zip(fields).ToDictionary(p => p.First, p => p.Second));
        }

        return rows;
    }
}
