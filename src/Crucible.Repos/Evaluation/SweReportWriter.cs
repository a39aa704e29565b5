using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Crucible.Repos.Grading;

namespace Crucible.Repos.Evaluation;

/// <summary>
/// Writes a run's files: <c>OUT/MODEL/INSTANCE/report.json</c> (official shape) and <c>test_output.txt</c> per task,
/// <c>OUT/MODEL.summary.json</c> (official run report fields) and <c>OUT/report.html</c>.
/// </summary>
public static class SweReportWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Write(string outDir, SweSummary summary, IReadOnlyList<TaskOutcome> outcomes)
    {
        Directory.CreateDirectory(outDir);
        foreach (var o in outcomes.Where(o => o.Report is not null))
        {
            var dir = Path.Combine(outDir, Safe(o.Prediction.ModelName), Safe(o.Task.InstanceId) + (o.Round > 1 ? $"-run{o.Round}" : ""));
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "report.json"), o.Report!.ToOfficialJson().ToJsonString(Indented));
            File.WriteAllText(Path.Combine(dir, "test_output.txt"), o.Report.Log);
        }
        File.WriteAllText(Path.Combine(outDir, Safe(summary.Model) + ".summary.json"), summary.ToJson().ToJsonString(Indented));
        File.WriteAllText(Path.Combine(outDir, "report.html"), Html(summary, outcomes));
    }

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    private static string Html(SweSummary s, IReadOnlyList<TaskOutcome> outcomes)
    {
        static string E(string? x) => WebUtility.HtmlEncode(x ?? "");
        var sb = new StringBuilder();
        sb.Append("<!doctype html><meta charset=utf-8><title>crucible swe: ").Append(E(s.Model)).Append("</title>");
        sb.Append("<style>body{font:14px system-ui;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;vertical-align:top}")
          .Append(".resolved{background:#d9f7d9}.unresolved{background:#fde2e2}.invalid{background:#fff1c2}.not_applied{background:#eee}.infra_error,.input_error{background:#e2e8fd}</style>");
        sb.Append("<h1>").Append(E(s.Model)).Append("</h1><p><b>").Append(s.ResolvedIds.Count).Append(" / ").Append(s.TotalInstances)
          .Append(" resolved (").Append(s.ResolvedPercent.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)).Append("%)</b>; ")
          .Append(s.UnresolvedIds.Count - s.InvalidIds.Count - s.NotAppliedIds.Count).Append(" unresolved, ").Append(s.InvalidIds.Count).Append(" invalid, ")
          .Append(s.NotAppliedIds.Count).Append(" not applied, ").Append(s.InfraErrorIds.Count + s.InputErrors.Count).Append(" errors</p>");
        sb.Append("<table><tr><th>task</th><th>run</th><th>status</th><th>FAIL_TO_PASS</th><th>PASS_TO_PASS</th><th>why</th><th>cpu s</th></tr>");
        foreach (var o in outcomes.OrderBy(o => o.Task.InstanceId, StringComparer.Ordinal).ThenBy(o => o.Round))
        {
            var r = o.Report;
            var status = r is null ? "input_error" : GradeReport.StatusName(r.Status);
            sb.Append("<tr class=").Append(status).Append("><td>").Append(E(o.Task.InstanceId)).Append("</td><td>").Append(o.Round)
              .Append("</td><td>").Append(status).Append("</td><td>");
            if (r is not null)
                sb.Append(r.FailToPassSuccess.Count).Append('/').Append(o.Task.FailToPass.Count).Append("</td><td>")
                  .Append(r.PassToPassSuccess.Count).Append('/').Append(o.Task.PassToPass.Count);
            else sb.Append("</td><td>");
            sb.Append("</td><td>").Append(E(r?.Reason ?? o.InputError)).Append("</td><td>")
              .Append(r is null ? "" : r.CpuSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)).Append("</td></tr>");
        }
        return sb.Append("</table>").ToString();
    }

    /// <summary>The validation report: one line per task, flaky ids listed.</summary>
    public static JsonObject ValidationJson(IReadOnlyList<ValidationResult> results)
    {
        var tasks = new JsonObject();
        foreach (var v in results)
            tasks[v.Task.InstanceId] = new JsonObject
            {
                ["valid"] = v.Valid,
                ["reason"] = v.Reason,
                ["gold"] = v.Gold1 is null ? null : GradeReport.StatusName(v.Gold1.Status),
                ["gold_second_run"] = v.Gold2 is null ? null : GradeReport.StatusName(v.Gold2.Status),
                ["empty"] = v.Empty is null ? null : GradeReport.StatusName(v.Empty.Status),
                ["flaky_ids"] = new JsonArray(v.FlakyIds.Select(x => (JsonNode?)JsonValue.Create(x)).ToArray()),
            };
        return new JsonObject { ["valid"] = results.Count(v => v.Valid), ["total"] = results.Count, ["tasks"] = tasks };
    }
}
