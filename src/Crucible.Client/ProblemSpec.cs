using System.Text.Json.Serialization;
using Crucible.Judge;

namespace Crucible.Client;

/// <summary>Wire form of a <see cref="Problem"/>: what the judge needs to run a submission's tests.</summary>
public sealed record ProblemSpec
{
    [JsonPropertyName("id")] public string? Id { get; init; }
    [JsonPropertyName("prompt")] public string? Prompt { get; init; }
    [JsonPropertyName("entry_point")] public string? EntryPoint { get; init; }

    /// <summary>Language the tests are written for (default python).</summary>
    [JsonPropertyName("language")] public string? Language { get; init; }

    [JsonPropertyName("tests")] public List<TestCaseSpec>? Tests { get; init; }

    /// <summary>CPU seconds per test; the judge's default when null.</summary>
    [JsonPropertyName("cpu_time_limit_s")] public double? CpuTimeLimitSeconds { get; init; }

    [JsonPropertyName("memory_limit_mb")] public long? MemoryLimitMB { get; init; }
    [JsonPropertyName("comparison")] public ComparisonSpec? Comparison { get; init; }

    public static ProblemSpec From(Problem p) => new()
    {
        Id = p.Id,
        Prompt = p.Prompt,
        EntryPoint = p.EntryPoint,
        Language = p.Language,
        Tests = p.Tests.Select(TestCaseSpec.From).ToList(),
        CpuTimeLimitSeconds = p.Limits.CpuTimePerTest?.TotalSeconds,
        MemoryLimitMB = p.Limits.MemoryBytes is { } m ? m >> 20 : null,
        Comparison = ComparisonSpec.From(p.Comparison),
    };

    /// <summary>Converts to the judge's problem; throws <see cref="InvalidFieldException"/> naming the bad field.</summary>
    public Problem ToProblem(string path)
    {
        if (Tests is null || Tests.Count == 0)
            throw new InvalidFieldException(path + ".tests", "tests must hold at least one test ({\"kind\": \"stdio\", \"input\": …, \"output\": …} or another kind).");
        var cpuLimit = WireLimits.Seconds(CpuTimeLimitSeconds, path + ".cpu_time_limit_s");
        var memoryLimit = MemoryLimitMB is { } mem ? WireLimits.MemoryBytes(mem, path + ".memory_limit_mb") : (long?)null;
        var tests = new List<TestCase>(Tests.Count);
        for (var i = 0; i < Tests.Count; i++)
            tests.Add((Tests[i] ?? throw new InvalidFieldException($"{path}.tests[{i}]", "a test must be an object, not null.")).ToTestCase($"{path}.tests[{i}]"));
        return new Problem
        {
            Id = string.IsNullOrEmpty(Id) ? "request" : Id,
            Prompt = Prompt,
            EntryPoint = EntryPoint,
            Language = string.IsNullOrEmpty(Language) ? "python" : Language,
            Tests = tests,
            Limits = new ProblemLimits
            {
                CpuTimePerTest = cpuLimit,
                MemoryBytes = memoryLimit,
            },
            Comparison = Comparison?.ToOptions(path + ".comparison") ?? ComparisonOptions.Default,
        };
    }
}
