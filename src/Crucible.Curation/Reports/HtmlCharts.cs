using System.Globalization;
using System.Net;
using System.Text;

namespace Crucible.Curation;

/// <summary>Inline SVG bar charts and the page shell shared by the curation and rollout reports (no scripts, no assets).</summary>
public static class HtmlCharts
{
    public static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>Vertical bars, one per (label, value), with the value above each bar.</summary>
    public static string Bars(string title, IReadOnlyList<KeyValuePair<string, double>> bars, string color = "#4878a8")
    {
        const int height = 200, top = 28, bottom = 42, left = 10;
        var barWidth = Math.Clamp(560 / Math.Max(1, bars.Count), 18, 70);
        var width = Math.Max(left + bars.Count * (barWidth + 10) + 20, 8 * title.Length + 20);
        var max = bars.Count == 0 ? 1 : Math.Max(1e-9, bars.Max(b => b.Value));
        var plot = height - top - bottom;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<svg role=\"img\" aria-label=\"{E(title)}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\">");
        sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"16\" font-weight=\"bold\">{E(title)}</text>");
        for (var i = 0; i < bars.Count; i++)
        {
            var (label, value) = (bars[i].Key, bars[i].Value);
            var x = left + i * (barWidth + 10);
            var h = plot * Math.Clamp(value / max, 0, 1);
            var y = top + plot - h;
            var shown = value.ToString(value == Math.Floor(value) ? "0" : "0.###", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y:0.##}\" width=\"{barWidth}\" height=\"{h:0.##}\" fill=\"{color}\"><title>{E(label)}: {shown}</title></rect>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + barWidth / 2}\" y=\"{y - 3:0.##}\" font-size=\"11\" text-anchor=\"middle\">{shown}</text>");
            sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + barWidth / 2}\" y=\"{height - bottom + 14}\" font-size=\"10\" text-anchor=\"middle\">{E(label)}</text>");
        }
        sb.Append("</svg>");
        return sb.ToString();
    }

    public static string Page(string title, string body) =>
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + E(title) + "</title><style>" +
        "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}" +
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f0f0f0}svg{margin:1em 1em 0 0}" +
        ".num{text-align:right}.drop{color:#a33}</style></head><body><h1>" + E(title) + "</h1>" + body + "</body></html>";
}
