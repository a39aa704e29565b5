using System.Reflection;
using System.Runtime.InteropServices;

namespace Crucible.Bench;

/// <summary>
/// What a report needs to be reproduced: exact inputs (dataset and samples hashes), limits, toolchain versions,
/// the machine, and the Crucible version. Every report format embeds it.
/// </summary>
public sealed record ReproducibilityManifest
{
    public required string CrucibleVersion { get; init; }
    public required string Runtime { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public string? CommandLine { get; init; }
    public required string DatasetPath { get; init; }
    public required string DatasetFormat { get; init; }
    public required string DatasetSha256 { get; init; }
    public required int DatasetProblems { get; init; }
    public required string SamplesSource { get; init; }
    public required string SamplesSha256 { get; init; }
    public required int Samples { get; init; }
    public required IReadOnlyDictionary<string, string> Limits { get; init; }

    /// <summary>Language id → toolchain version, for every language the run used.</summary>
    public required IReadOnlyDictionary<string, string> Toolchains { get; init; }
    public required MachineInfo Machine { get; init; }

    /// <summary>The isolation layers in force (namespaces, cgroups), as the sandbox reports them.</summary>
    public string? Isolation { get; init; }

    public static string Version { get; } =
        typeof(ReproducibilityManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static ReproducibilityManifest Create(EvalRun run, IReadOnlyDictionary<string, string> limits, IReadOnlyDictionary<string, string> toolchains,
        string? isolation = null, string? commandLine = null) => new()
    {
        CrucibleVersion = Version,
        Runtime = RuntimeInformation.FrameworkDescription,
        CreatedAt = DateTimeOffset.UtcNow,
        CommandLine = commandLine,
        DatasetPath = run.Dataset.Path,
        DatasetFormat = run.Dataset.Format.ToString().ToLowerInvariant(),
        DatasetSha256 = run.Dataset.Sha256,
        DatasetProblems = run.Dataset.Problems.Count,
        SamplesSource = run.Samples.Source,
        SamplesSha256 = run.Samples.Sha256,
        Samples = run.Samples.Samples.Count,
        Limits = run.Dataset.Format == Crucible.Bench.DatasetFormat.EvalPlus ? WithEvalPlusLimits(limits, run.Grader) : limits,
        Toolchains = toolchains,
        Machine = MachineInfo.Current(),
        Isolation = isolation,
    };

    // How expected outputs and per-test limits were obtained, so a reader can tell a limit from a verdict.
    private static Dictionary<string, string> WithEvalPlusLimits(IReadOnlyDictionary<string, string> limits, Grader grader)
    {
        var all = new Dictionary<string, string>(limits)
        {
            ["reference_cpu_per_input"] = $"{ReferenceOracle.Limits.CpuPerInput.TotalSeconds:0.###}s (retried alone once on failure)",
            ["reference_memory"] = $"{ReferenceOracle.Limits.MemoryBytes >> 20}MiB",
            ["evalplus_test_cpu"] = "max(4s, 4 x reference CPU time on the input)",
            ["evalplus_split_budget"] = "min(60s, sum of the split's limits) + 1s",
            ["evalplus_memory"] = $"{EvalPlusFormat.MemoryBytes >> 20}MiB",
            ["grader"] = grader == Grader.EvalPlus ? "evalplus" : "strict",
        };
        return all;
    }
}
