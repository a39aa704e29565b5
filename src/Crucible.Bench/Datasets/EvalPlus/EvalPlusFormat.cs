using System.Globalization;
using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// EvalPlus HumanEval+ and MBPP+ (HumanEvalPlus.jsonl.gz / MbppPlus.jsonl.gz, read as they ship): task_id, prompt,
/// entry_point, canonical_solution, base_input, plus_input, atol. Expected outputs are not in the file: EvalPlus
/// defines them as the canonical solution's return values, so each problem becomes an <see cref="OracleRequest"/>
/// that <see cref="ReferenceOracle"/> answers in the sandbox; every test carries EvalPlus's rule for its input
/// (<see cref="EvalPlusCheck"/>) and its split as <see cref="TestCase.Group"/> ("base" / "plus"), judged apart as
/// EvalPlus judges them. Python's JSON dialect (NaN, ±Infinity) is read; <c>"plus_input": {}</c> is an empty split, as
/// Python iterates it; MBPP+ arguments are rebuilt into the types EvalPlus's loader gives them (<see cref="MbppPlusInputs"/>).
/// </summary>
public static class EvalPlusFormat
{
    /// <summary>Test names carry the EvalPlus split so base and plus statuses can be reported separately.</summary>
    public const string BasePrefix = "base_input[";
    public const string PlusPrefix = "plus_input[";
    public const string BaseGroup = "base";
    public const string PlusGroup = "plus";

    /// <summary>How many inputs each split has in the dataset file (ProblemMetadata.Extra), tests dropped or not.</summary>
    public const string BaseCountKey = "base_inputs";
    public const string PlusCountKey = "plus_inputs";

    /// <summary>EvalPlus's default memory limit per evaluation (EVALPLUS_MAX_MEMORY_BYTES, 4 GiB).</summary>
    public const long MemoryBytes = 4L << 30;

    // Special oracles of evalplus/eval/_special_oracle.py and unsafe_execute, keyed by entry point as EvalPlus keys them.
    private static readonly Dictionary<string, EvalPlusOracle> MbppOracles = new(StringComparer.Ordinal)
    {
        ["are_equivalent"] = EvalPlusOracle.AnyValue,
        ["sum_div"] = EvalPlusOracle.ZeroAlsoAccepted,
        ["surface_Area"] = EvalPlusOracle.SurfaceArea,
        ["digit_distance_nums"] = EvalPlusOracle.DigitDistance,
        ["similar_elements"] = EvalPlusOracle.SetEquality,
        ["find_char_long"] = EvalPlusOracle.SetEquality,
        ["common_in_nested_lists"] = EvalPlusOracle.SetEquality,
        ["extract_singly"] = EvalPlusOracle.SetEquality,
        ["larg_nnum"] = EvalPlusOracle.SetEquality,
        ["intersection_array"] = EvalPlusOracle.SetEquality,
        ["find_dissimilar"] = EvalPlusOracle.SetEquality,
        ["Diff"] = EvalPlusOracle.SetEquality,
        ["check_str"] = EvalPlusOracle.NotNone,
        ["text_match_three"] = EvalPlusOracle.NotNone,
        ["text_starta_endb"] = EvalPlusOracle.NotNone,
    };

    internal static List<Problem> Load(IEnumerable<DatasetRow> rows, LoadContext context)
    {
        var problems = new List<Problem>();
        foreach (var (row, at) in rows)
        {
            var id = JsonFields.Required(row, "task_id", at, "evalplus");
            var prompt = JsonFields.Required(row, "prompt", at, "evalplus");
            var entry = JsonFields.Required(row, "entry_point", at, "evalplus");
            var canonical = JsonFields.Required(row, "canonical_solution", at, "evalplus");
            var atol = JsonFields.Number(row, "atol") ?? 0;
            var task = MbppPlusInputs.TaskNumber(id);
            var inputs = new List<OracleInput>();
            var baseCount = AddInputs(row, "base_input", BaseGroup, id, task, at, inputs);
            var plusCount = AddInputs(row, "plus_input", PlusGroup, id, task, at, inputs);
            if (baseCount == 0) context.Warnings.Add($"{at}: {id} has no base_input; its base split has no tests, so no sample can pass it.");
            var reference = prompt + canonical;
            problems.Add(new Problem
            {
                Id = id,
                Statement = prompt,
                Prompt = prompt,
                EntryPoint = entry,
                Language = "python",
                References = [new ReferenceSolution("python", reference)],
                Comparison = ComparisonOptions.EvalPlus with { AbsoluteTolerance = atol > 0 ? atol : 1e-6 },
                Limits = new ProblemLimits { MemoryBytes = MemoryBytes },
                Metadata = new ProblemMetadata
                {
                    Source = task is not null ? "mbpp+" : "humaneval+",
                    Extra = new Dictionary<string, string>
                    {
                        [BaseCountKey] = baseCount.ToString(CultureInfo.InvariantCulture),
                        [PlusCountKey] = plusCount.ToString(CultureInfo.InvariantCulture),
                    },
                },
            });
            context.Oracles.Add(new OracleRequest(id, reference, entry, inputs) { EvalPlus = new EvalPlusCheck { Oracle = OracleFor(id, entry), Atol = atol } });
        }
        return problems;
    }

    /// <summary>EvalPlus picks special oracles by dataset and entry point; ids tell the dataset (Mbpp/…, HumanEval/…).</summary>
    public static EvalPlusOracle OracleFor(string taskId, string entryPoint)
    {
        if (MbppPlusInputs.TaskNumber(taskId) is not null)
            return MbppOracles.GetValueOrDefault(entryPoint, EvalPlusOracle.Equality);
        return entryPoint == "find_zero" ? EvalPlusOracle.FindZero : EvalPlusOracle.Equality;
    }

    /// <summary>Whether a test belongs to the base split (EvalPlus's original HumanEval/MBPP inputs).</summary>
    public static bool IsBase(TestCase t) => t.Group == BaseGroup || t.Name?.StartsWith(BasePrefix, StringComparison.Ordinal) == true;

    public static bool IsPlus(TestCase t) => t.Group == PlusGroup || t.Name?.StartsWith(PlusPrefix, StringComparison.Ordinal) == true;

    /// <summary>The number of inputs a split has in the dataset file, or null for problems not from an EvalPlus file.</summary>
    public static int? DatasetCount(Problem p, string group) =>
        p.Metadata.Extra.TryGetValue(group == BaseGroup ? BaseCountKey : PlusCountKey, out var s) && int.TryParse(s, CultureInfo.InvariantCulture, out var n) ? n : null;

    private static int AddInputs(JsonElement row, string field, string group, string id, int? task, string at, List<OracleInput> into)
    {
        if (JsonFields.Get(row, field) is not { } list) return 0;
        // Python iterates a dict over its keys; MBPP+ v0.2.0 ships "plus_input": {} for Mbpp/793, an empty split.
        if (list.ValueKind == JsonValueKind.Object && !list.EnumerateObject().Any()) return 0;
        if (list.ValueKind != JsonValueKind.Array) throw new DatasetException($"{at}: {id} '{field}' must be a list of argument lists, found {list.ValueKind}.");
        var i = 0;
        foreach (var args in list.EnumerateArray())
        {
            if (args.ValueKind != JsonValueKind.Array) throw new DatasetException($"{at}: {id} {field}[{i}] must be a list of arguments, found {args.ValueKind}.");
            string json;
            try
            {
                json = task is { } n ? MbppPlusInputs.Rebuild(n, args) : args.GetRawText();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException)
            {
                throw new DatasetException($"{at}: {id} {field}[{i}] cannot be read as EvalPlus reads this task's arguments ({e.Message}).", e);
            }
            into.Add(new OracleInput($"{field}[{i}]", json) { Group = group });
            i++;
        }
        return i;
    }
}
