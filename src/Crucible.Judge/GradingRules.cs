namespace Crucible.Judge;

/// <summary>
/// The grading rule of each data source RL trainers and benchmarks name (verl's and rllm's <c>data_source</c>), so a
/// reward matches what the trainer's own reward code would give: LiveCodeBench compares numbers by value, APPS as
/// verl's prime_code does, and so on. The table and the trainers' numbers are in docs/rewards.md.
/// </summary>
public static class GradingRules
{
    private static readonly TimeSpan Six = TimeSpan.FromSeconds(6);

    /// <summary>rllm's LiveCodeBench grader (<c>lcb_check_correctness_v2</c>, 6 s per test), which rllm uses for every stdin source.</summary>
    public static GradingRule LiveCodeBench { get; } = new("livecodebench", ComparisonOptions.LiveCodeBench, Six, null, "rllm RewardCodeFn → lcb_check_correctness_v2 (lcb_runner testing_util)");

    /// <summary>verl's prime_code (APPS testing_util: tokens, numpy allclose; 5 s per test) for verl's own code sources.</summary>
    public static GradingRule PrimeCode { get; } = new("codecontests", ComparisonOptions.Apps, TimeSpan.FromSeconds(5), null, "verl default_compute_score → prime_code (apps testing_util)");

    private static readonly Dictionary<string, GradingRule> Table = Build();

    private static Dictionary<string, GradingRule> Build()
    {
        var rllmLcb = LiveCodeBench;
        var rules = new Dictionary<string, GradingRule>(StringComparer.Ordinal)
        {
            ["livecodebench"] = rllmLcb,
            ["codeforces"] = rllmLcb with { Name = "codeforces" },
            ["primeintellect"] = rllmLcb with { Name = "primeintellect" },
            // rllm turns TACO/APPS/CodeContests rows into LiveCodeBench tests and grades them the same way.
            ["taco"] = rllmLcb with { Name = "taco", Source = "rllm RewardCodeFn → taco_to_lcb_format + lcb_check_correctness_v2" },
            ["apps"] = rllmLcb with { Name = "apps", Source = "rllm RewardCodeFn → taco_to_lcb_format + lcb_check_correctness_v2" },
            ["code_contests"] = rllmLcb with { Name = "code_contests", Source = "rllm RewardCodeFn → taco_to_lcb_format + lcb_check_correctness_v2" },
            // verl's spelling is its own data source with its own grader.
            ["codecontests"] = PrimeCode,
            ["humanevalplus"] = new("humanevalplus", ComparisonOptions.EvalPlus, TimeSpan.FromSeconds(1), null, "rllm humanevalplus_check_correctness (1 s per test case)"),
            ["mbppplus"] = new("mbppplus", ComparisonOptions.EvalPlus, TimeSpan.FromSeconds(1), null, "EvalPlus MBPP+ (1 s floor per test)"),
            ["kodcode"] = new("kodcode", ComparisonOptions.Default, TimeSpan.FromSeconds(5), null, "rllm kodcode_check_correctness (pytest, 5 s per test function)"),
            ["leetcode"] = new("leetcode", ComparisonOptions.Default, TimeSpan.FromSeconds(2), null, "rllm leetcode_check_correctness (code + check script, LeetCode prelude)"),
        };
        return rules;
    }

    /// <summary>Every rule by its canonical name.</summary>
    public static IReadOnlyDictionary<string, GradingRule> All => Table;

    /// <summary>
    /// The rule for a data source as trainers spell it (<c>livecodebench</c>, <c>LiveCodeBench/test6</c>, <c>lcb_v5</c>,
    /// <c>deepmind/code_contests</c>, <c>evalplus/humanevalplus</c>, …), or null when no rule matches (the judge's
    /// defaults then apply).
    /// </summary>
    public static GradingRule? Find(string? dataSource)
    {
        if (string.IsNullOrWhiteSpace(dataSource)) return null;
        var key = dataSource.Trim().ToLowerInvariant();
        if (Table.TryGetValue(key, out var exact)) return exact;
        // Hub names name the data set last ("deepmind/code_contests", "BAAI/TACO") or first ("livecodebench/release_v5").
        var segments = key.Split('/', StringSplitOptions.RemoveEmptyEntries);
        for (var i = segments.Length - 1; i >= 0; i--)
            if (FindName(segments[i]) is { } rule) return rule;
        return null;
    }

    /// <summary>One name, with splits and versions ("livecodebench_v5", "lcbv5", "taco-verified").</summary>
    private static GradingRule? FindName(string name)
    {
        var words = name.Replace('-', '_').Replace(' ', '_');
        if (Table.TryGetValue(words, out var named)) return named;
        var squashed = words.Replace("_", "", StringComparison.Ordinal);
        return squashed switch
        {
            _ when squashed.StartsWith("livecodebench", StringComparison.Ordinal) || squashed.StartsWith("lcb", StringComparison.Ordinal) => Table["livecodebench"],
            _ when squashed.StartsWith("deepcoder", StringComparison.Ordinal) => Table["livecodebench"],
            _ when squashed.StartsWith("humanevalplus", StringComparison.Ordinal) || squashed.StartsWith("humaneval", StringComparison.Ordinal) => Table["humanevalplus"],
            _ when squashed.StartsWith("mbpp", StringComparison.Ordinal) => Table["mbppplus"],
            _ when squashed.StartsWith("primeintellect", StringComparison.Ordinal) => Table["primeintellect"],
            _ when squashed.StartsWith("codeforces", StringComparison.Ordinal) => Table["codeforces"],
            _ when squashed.StartsWith("taco", StringComparison.Ordinal) => Table["taco"],
            _ when squashed.StartsWith("apps", StringComparison.Ordinal) => Table["apps"],
            _ when squashed.StartsWith("kodcode", StringComparison.Ordinal) => Table["kodcode"],
            _ when squashed.StartsWith("leetcode", StringComparison.Ordinal) => Table["leetcode"],
            _ when words.StartsWith("code_contests", StringComparison.Ordinal) => Table["code_contests"],
            _ when squashed.StartsWith("codecontests", StringComparison.Ordinal) => Table["codecontests"],
            _ => null,
        };
    }

    /// <summary>A comparison preset by name (for requests that override a rule's comparison): default, exact, livecodebench, evalplus, apps.</summary>
    public static ComparisonOptions? Preset(string? name) => name?.Trim().ToLowerInvariant().Replace('-', '_') switch
    {
        "default" or "tokens" => ComparisonOptions.Default,
        "exact" => ComparisonOptions.Exact,
        "livecodebench" or "lcb" => ComparisonOptions.LiveCodeBench,
        "evalplus" => ComparisonOptions.EvalPlus,
        "apps" or "prime_code" or "taco" => ComparisonOptions.Apps,
        _ => null,
    };

    /// <summary>The names <see cref="Preset"/> accepts, for error messages.</summary>
    public const string PresetNames = "default, exact, livecodebench, evalplus, apps";
}
