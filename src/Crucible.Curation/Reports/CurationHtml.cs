using System.Globalization;
using System.Text;

namespace Crucible.Curation;

/// <summary>The curation report as one self-contained HTML page: funnel table and chart, histograms, outputs.</summary>
internal static class CurationHtml
{
    public static string Render(CurationReport report)
    {
        var sb = new StringBuilder();
        sb.Append("<h2>Funnel</h2><table><tr><th>stage</th><th>in</th><th>kept</th><th>dropped</th><th>drops by reason</th><th>seconds</th></tr>");
        foreach (var f in report.Funnel)
        {
            var reasons = string.Join("<br>", f.DropReasons.Select(r => $"{r.Value} × {HtmlCharts.E(r.Key)}"));
            sb.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{HtmlCharts.E(f.Stage)}</td><td class=\"num\">{f.In}</td><td class=\"num\">{f.Kept}</td><td class=\"num drop\">{f.Dropped}</td><td>{reasons}</td><td class=\"num\">{f.Elapsed.TotalSeconds:0.0}</td></tr>");
        }
        sb.Append("</table>");
        var funnelBars = report.Funnel.Select(f => KeyValuePair.Create(f.Stage, (double)f.Kept)).ToList();
        if (report.Funnel.Count > 0) funnelBars.Insert(0, KeyValuePair.Create("input", (double)report.Funnel[0].In));
        sb.Append(HtmlCharts.Bars("problems kept after each stage", funnelBars));
        sb.Append("<h2>Problems kept</h2>");
        foreach (var h in report.Histograms)
            sb.Append(HtmlCharts.Bars(h.Title, h.Bins.Select(b => KeyValuePair.Create(b.Key, (double)b.Value)).ToList(), "#5a9a5a"));
        if (report.Outputs.Count > 0)
        {
            sb.Append("<h2>Outputs</h2><table><tr><th>file</th><th>problems</th></tr>");
            foreach (var (file, n) in report.Outputs) sb.Append(CultureInfo.InvariantCulture, $"<tr><td>{HtmlCharts.E(file)}</td><td class=\"num\">{n}</td></tr>");
            sb.Append("</table>");
        }
        if (report.OutputNotes.Count > 0)
        {
            sb.Append("<ul>");
            foreach (var n in report.OutputNotes) sb.Append("<li>").Append(HtmlCharts.E(n)).Append("</li>");
            sb.Append("</ul>");
        }
        sb.Append(CultureInfo.InvariantCulture, $"<p>Per-problem provenance: <code>provenance.jsonl</code>; each stage's decisions: <code>NN-stage/decisions.jsonl</code>. Total {report.Elapsed.TotalSeconds:0.0} s.</p>");
        return HtmlCharts.Page("Crucible curation report", sb.ToString());
    }
}
