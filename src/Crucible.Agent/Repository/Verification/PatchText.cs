using System.Security.Cryptography;
using System.Text;

namespace Crucible.Agent.Repository.Verification;

/// <summary>Patch helpers: a content hash, the normal form used for majority votes, and the files a diff touches.</summary>
public static class PatchText
{
    public static string Hash(string patch) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(patch)))[..16];

    /// <summary>
    /// The patch reduced to what it changes: only added and removed lines, whitespace collapsed, blank and comment-only
    /// lines dropped, per file. Two samples that differ only in formatting or comments vote together.
    /// </summary>
    public static string Normalise(string patch)
    {
        var sb = new StringBuilder();
        foreach (var raw in patch.Split('\n'))
        {
            if (raw.StartsWith("+++ ", StringComparison.Ordinal)) { sb.Append("@").Append(raw[4..].Trim()).Append('\n'); continue; }
            if (raw.StartsWith("--- ", StringComparison.Ordinal) || raw.Length == 0 || (raw[0] != '+' && raw[0] != '-')) continue;
            var body = string.Join(' ', raw[1..].Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
            if (body.Length == 0 || body.StartsWith('#') || body.StartsWith("//", StringComparison.Ordinal)) continue;
            sb.Append(raw[0]).Append(body).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Repository-relative paths a git diff touches (from its <c>diff --git a/X b/Y</c> lines).</summary>
    public static IReadOnlyList<string> Files(string patch)
    {
        var files = new List<string>();
        foreach (var line in patch.Split('\n'))
        {
            if (!line.StartsWith("diff --git ", StringComparison.Ordinal)) continue;
            var b = line.LastIndexOf(" b/", StringComparison.Ordinal);
            if (b > 0) files.Add(line[(b + 3)..].Trim());
        }
        return files.Distinct(StringComparer.Ordinal).ToArray();
    }
}
