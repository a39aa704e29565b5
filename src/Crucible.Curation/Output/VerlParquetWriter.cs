using Parquet.Serialization;

namespace Crucible.Curation;

/// <summary>
/// Writes problems as verl RL parquet, field for field as verl's data preprocess scripts write their rows:
/// <c>data_source</c>, <c>prompt</c> (chat messages), <c>ability</c> (<c>code</c>), <c>reward_model</c>
/// {<c>style</c>: <c>rule</c>, <c>ground_truth</c>: a JSON string of the TACO test spec}, <c>extra_info</c>
/// {<c>split</c>, <c>index</c>, …}. verl routes rewards by <c>data_source</c> (taco, apps, codecontests, codeforces go to
/// its prime_code reward), so the problem's source is kept unless overridden. The curation facts (pass rate, reference
/// time, time limit) ride along in extra_info.
/// </summary>
public static class VerlParquetWriter
{
    // Column names are verl's (snake_case), so the row types spell them.
#pragma warning disable IDE1006
    private sealed class Message { public string role { get; set; } = ""; public string content { get; set; } = ""; }
    private sealed class RewardModel { public string style { get; set; } = "rule"; public string ground_truth { get; set; } = ""; }
    private sealed class ExtraInfo
    {
        public string split { get; set; } = "train";
        public long index { get; set; }
        public string problem_id { get; set; } = "";
        public string dataset { get; set; } = "";
        public double? pass_rate { get; set; }
        public double? reference_cpu_ms { get; set; }
        public double? time_limit_ms { get; set; }
    }
    private sealed class Row
    {
        public string data_source { get; set; } = "";
        public List<Message> prompt { get; set; } = [];
        public string ability { get; set; } = "code";
        public RewardModel reward_model { get; set; } = new();
        public ExtraInfo extra_info { get; set; } = new();
    }
#pragma warning restore IDE1006

    /// <summary>Writes the rows; returns the problems that could not be written, with why.</summary>
    public static async Task<IReadOnlyList<(string Key, string Why)>> WriteAsync(string path, IReadOnlyList<CurationItem> items, string split = "train",
        string? dataSource = null, CancellationToken cancellationToken = default)
    {
        var rows = new List<Row>();
        var skipped = new List<(string, string)>();
        foreach (var item in items)
        {
            var spec = RewardGroundTruth.Taco(item.Problem, out var why);
            if (spec is null)
            {
                skipped.Add((item.Key, why!));
                continue;
            }
            rows.Add(new Row
            {
                data_source = dataSource ?? item.Problem.Metadata.Source ?? item.Dataset,
                prompt = [new Message { role = "user", content = PromptText.For(item.Problem) }],
                reward_model = new RewardModel { ground_truth = spec.ToJsonString() },
                extra_info = new ExtraInfo
                {
                    split = split, index = rows.Count, problem_id = item.Problem.Id, dataset = item.Dataset,
                    pass_rate = item.Number("pass_rate"), reference_cpu_ms = item.Number("reference_cpu_ms"), time_limit_ms = item.Number("time_limit_ms"),
                },
            });
        }
        await ParquetSerializer.SerializeAsync(rows, path, cancellationToken: cancellationToken).ConfigureAwait(false);
        return skipped;
    }
}
