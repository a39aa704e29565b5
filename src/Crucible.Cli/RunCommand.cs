using System.CommandLine;
using Crucible.Sandbox;
using Spectre.Console;

namespace Crucible.Cli;

/// <summary>
/// <c>crucible run FILE</c>: compile and run one program in the sandbox and print the verdict and usage.
/// Exit code: 0 Ok, 1 RuntimeError, 2 CompileError, 3 TimeLimitExceeded, 4 MemoryLimitExceeded,
/// 5 OutputLimitExceeded, 10 SandboxError, 64 bad usage.
/// </summary>
internal static class RunCommand
{
    private static readonly Dictionary<string, string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        [".py"] = "python", [".c"] = "c", [".cpp"] = "cpp", [".cc"] = "cpp", [".cxx"] = "cpp", [".java"] = "java",
        [".js"] = "javascript", [".mjs"] = "javascript", [".rs"] = "rust", [".cs"] = "csharp", [".sh"] = "bash",
    };

    public static int ExitCodeFor(Verdict v) => v switch
    {
        Verdict.Ok => 0,
        Verdict.RuntimeError => 1,
        Verdict.CompileError => 2,
        Verdict.TimeLimitExceeded => 3,
        Verdict.MemoryLimitExceeded => 4,
        Verdict.OutputLimitExceeded => 5,
        _ => 10,
    };

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "Source file to run." };
        var lang = new Option<string?>("--lang") { Description = "Language (default: from the file extension). See `crucible languages`." };
        var stdin = new Option<FileInfo?>("--stdin") { Description = "File fed to the program's stdin." };
        var time = new Option<string>("--time") { Description = "CPU time limit, e.g. 2s, 500ms.", DefaultValueFactory = _ => "2s" };
        var wall = new Option<string?>("--wall") { Description = "Wall-clock limit (default: 2 × CPU + 1 s)." };
        var memory = new Option<string>("--memory") { Description = "Memory limit of the whole process tree, e.g. 256m.", DefaultValueFactory = _ => "256m" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON." };
        var args = new Option<string[]>("--arg") { Description = "Argument passed to the program (repeatable).", AllowMultipleArgumentsPerToken = false };
        var cmd = new Command("run", "Compile and run one program in the sandbox; print verdict and usage.") { file, lang, stdin, time, wall, memory, json, args };
        cmd.SetAction(async (parse, ct) =>
        {
            var f = parse.GetValue(file)!;
            try
            {
                if (!f.Exists) return Fail($"File not found: {f.FullName}");
                var language = parse.GetValue(lang) ?? (Extensions.TryGetValue(f.Extension, out var l) ? l
                    : throw new SandboxException($"Cannot tell the language of '{f.Name}' from its extension; pass --lang (see `crucible languages`)."));
                var limits = ResourceLimits.Default with
                {
                    CpuTime = Sizes.ParseDuration(parse.GetValue(time)!),
                    WallTime = parse.GetValue(wall) is { } w ? Sizes.ParseDuration(w) : null,
                    MemoryBytes = Sizes.ParseBytes(parse.GetValue(memory)!),
                };
                var input = parse.GetValue(stdin) is { } s
                    ? (s.Exists ? await File.ReadAllBytesAsync(s.FullName, ct) : throw new SandboxException($"stdin file not found: {s.FullName}"))
                    : [];
                // One run: pre-started runners and zygotes would only cost start-up work (a zygote pays off from the
                // second run), and probing toolchains other than this one would cost about a second of CPU.
                var options = new SandboxOptions { PrestartedRunners = 0, Zygotes = false };
                await using var pool = SandboxPool.Create(options, LanguageRegistry.ProbingOnly(language, LanguageRegistry.ProbeCacheDirectory(options.StateRoot)));
                var (compile, run) = await pool.RunOnceAsync(new SourceProgram(language, await File.ReadAllTextAsync(f.FullName, ct)),
                    new RunRequest { Stdin = input, Limits = limits, Args = parse.GetValue(args) ?? [] }, ct);
                if (parse.GetValue(json)) PrintJson(compile, run); else PrintHuman(compile, run, pool);
                return ExitCodeFor(run.Verdict);
            }
            catch (Exception e) when (e is SandboxException or FormatException or ArgumentException)
            {
                return Fail(e.Message);
            }
        });
        return cmd;
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 64;
    }

    private static void PrintJson(CompileResult compile, RunResult run)
    {
        Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
        {
            verdict = run.Verdict,
            time_limit = run.TimeLimit == TimeLimitKind.None ? null : run.TimeLimit.ToString().ToLowerInvariant(),
            exit_code = run.ExitCode,
            signal = run.Signal,
            cpu_time_ms = run.CpuTime.TotalMilliseconds,
            wall_time_ms = run.WallTime.TotalMilliseconds,
            peak_memory_bytes = run.PeakMemoryBytes,
            stdout = run.Stdout,
            stderr = run.Stderr,
            stdout_truncated = run.StdoutTruncated,
            stderr_truncated = run.StderrTruncated,
            message = run.Message,
            compile = new { verdict = compile.Verdict, output = compile.Output, cached = compile.FromCache, duration_ms = compile.Duration.TotalMilliseconds },
        }, CliJson.Options));
    }

    private static void PrintHuman(CompileResult compile, RunResult run, SandboxPool pool)
    {
        if (!compile.Succeeded)
        {
            AnsiConsole.MarkupLine($"[red]{compile.Verdict}[/]");
            Console.Error.WriteLine(compile.Output);
            return;
        }
        if (run.StdoutBytes.Length > 0)
        {
            Console.Out.Write(run.Stdout);
            if (!run.Stdout.EndsWith('\n')) Console.Out.WriteLine();
        }
        if (run.StderrBytes.Length > 0) Console.Error.Write(run.Stderr);
        var colour = run.Verdict == Verdict.Ok ? "green" : run.Verdict == Verdict.SandboxError ? "yellow" : "red";
        var table = new Table().Border(TableBorder.Rounded).AddColumns("verdict", "exit", "cpu", "wall", "peak memory", "compile");
        var verdict = run.Verdict + (run.TimeLimit != TimeLimitKind.None ? $" ({run.TimeLimit.ToString().ToLowerInvariant()})" : "");
        table.AddRow($"[{colour}]{Markup.Escape(verdict)}[/]",
            run.Signal is { } sig ? $"signal {sig}" : run.ExitCode?.ToString() ?? "-",
            $"{run.CpuTime.TotalMilliseconds:0} ms", $"{run.WallTime.TotalMilliseconds:0} ms",
            $"{run.PeakMemoryBytes / 1024.0 / 1024.0:0.0} MiB",
            compile.FromCache ? "cached" : $"{compile.Duration.TotalMilliseconds:0} ms");
        AnsiConsole.Write(table);
        if (run.Message is { } m && run.Verdict != Verdict.Ok) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(m)}[/]");
        if (!pool.Isolation.TreeWideLimits) AnsiConsole.MarkupLine($"[yellow]warning:[/] {Markup.Escape(pool.Isolation.ToString())}");
    }
}
