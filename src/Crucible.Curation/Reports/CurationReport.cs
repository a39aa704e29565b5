using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crucible.Curation;

/// <summary>
/// The curation report: the funnel (problems in, kept and dropped per stage, drops by reason), histograms of tests per
/// problem, pass rate and reference time over the problems kept, and what each output file holds. Written as
/// <c>report.json</c> and <c>report.html</c> (self-contained, no scripts).
/// </summary>
public sealed record CurationReport
{
    public required IReadOnlyList<FunnelRow> Funnel { get; init; }
    public required IReadOnlyList<Histogram> Histograms { get; init; }

    /// <summary>Output file → problems written.</summary>
    public IReadOnlyDictionary<string, int> Outputs { get; init; } = new Dictionary<string, int>();

    /// <summary>Problems an output could not hold, with why (e.g. checker tests in verl parquet).</summary>
    public IReadOnlyList<string> OutputNotes { get; init; } = [];
    public TimeSpan Elapsed { get; init; }

    public static CurationReport Create(CurationRun run, IReadOnlyDictionary<string, int>? outputs = null, IReadOnlyList<string>? notes = null)
    {
        static string Int(double v) => v.ToString("0", CultureInfo.InvariantCulture);
        var final = run.Final;
        var histograms = new List<Histogram>
        {
            Histogram.Of("tests per problem", final.Select(i => (double)i.Problem.Tests.Count), [1, 4, 9, 15, 30, 50, 100], Int),
        };
        var rates = final.Select(i => i.Number("pass_rate")).OfType<double>().ToList();
        if (rates.Count > 0) histograms.Add(Histogram.Exact("pass rate (model samples)", rates));
        var cpu = final.Select(i => i.Number("reference_cpu_ms")).OfType<double>().ToList();
        if (cpu.Count > 0) histograms.Add(Histogram.Of("reference CPU time per problem (ms, slowest test)", cpu, [10, 30, 100, 300, 1000, 3000], Int));
        return new CurationReport
        {
            Funnel = run.Funnel, Histograms = histograms, Outputs = outputs ?? new Dictionary<string, int>(), OutputNotes = notes ?? [], Elapsed = run.Elapsed,
        };
    }

    public JsonObject ToJson()
    {
        var funnel = new JsonArray();
        foreach (var f in Funnel)
            funnel.Add(new JsonObject
            {
                ["stage"] = f.Stage, ["in"] = f.In, ["kept"] = f.Kept, ["dropped"] = f.Dropped, ["infrastructure_drops"] = f.InfrastructureDrops,
                ["seconds"] = Math.Round(f.Elapsed.TotalSeconds, 3),
                ["drop_reasons"] = new JsonObject(f.DropReasons.Select(r => KeyValuePair.Create(r.Key, (JsonNode?)r.Value))),
            });
        var histograms = new JsonObject();
        foreach (var h in Histograms) histograms[h.Title] = new JsonObject(h.Bins.Select(b => KeyValuePair.Create(b.Key, (JsonNode?)b.Value)));
        return new JsonObject
        {
            ["funnel"] = funnel,
            ["histograms"] = histograms,
            ["outputs"] = new JsonObject(Outputs.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            ["output_notes"] = new JsonArray(OutputNotes.Select(n => (JsonNode?)n).ToArray()),
            ["seconds"] = Math.Round(Elapsed.TotalSeconds, 3),
        };
    }

    public async Task WriteAsync(string directory, CancellationToken cancellationToken = default)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "report.json"), ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.html"), CurationHtml.Render(this), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The funnel as plain text lines (for logs and READMEs; the CLI draws a table).</summary>
    public IEnumerable<string> FunnelLines()
    {
        foreach (var f in Funnel)
        {
            var reasons = string.Join(", ", f.DropReasons.Select(r => $"{r.Value} {r.Key}"));
            yield return string.Create(CultureInfo.InvariantCulture, $"{f.Stage,-14} {f.In,7} → {f.Kept,7}  (-{f.Dropped}{(reasons.Length > 0 ? ": " + reasons : "")})");
        }
    }
}
