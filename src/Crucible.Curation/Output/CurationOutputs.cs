namespace Crucible.Curation;

/// <summary>
/// Writes the problems that made it through in every training format: <c>train.parquet</c> (verl),
/// <c>deepcoder.json</c> (rllm/DeepCoder), <c>problems.jsonl</c> (Crucible), and the report. A problem a format cannot
/// hold is named in the report's notes, never silently left out.
/// </summary>
public static class CurationOutputs
{
    public static async Task<CurationReport> WriteAsync(CurationRun run, string? verlDataSource = null, CancellationToken cancellationToken = default)
    {
        var dir = run.OutputDirectory;
        var outputs = new Dictionary<string, int>();
        var notes = new List<string>();
        var final = run.Final;

        var verlSkipped = await VerlParquetWriter.WriteAsync(Path.Combine(dir, "train.parquet"), final, "train", verlDataSource, cancellationToken).ConfigureAwait(false);
        outputs["train.parquet"] = final.Count - verlSkipped.Count;
        notes.AddRange(verlSkipped.Select(s => $"train.parquet: {s.Key} not written: {s.Why}"));

        var deepcoderSkipped = await DeepCoderJsonWriter.WriteAsync(Path.Combine(dir, "deepcoder.json"), final, cancellationToken).ConfigureAwait(false);
        outputs["deepcoder.json"] = final.Count - deepcoderSkipped.Count;
        notes.AddRange(deepcoderSkipped.Select(s => $"deepcoder.json: {s.Key} not written: {s.Why}"));

        await CrucibleJsonlWriter.WriteAsync(Path.Combine(dir, "problems.jsonl"), final, cancellationToken).ConfigureAwait(false);
        outputs["problems.jsonl"] = final.Count;

        var report = CurationReport.Create(run, outputs, notes);
        await report.WriteAsync(dir, cancellationToken).ConfigureAwait(false);
        return report;
    }
}
