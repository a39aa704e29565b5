using System.Text;

namespace Crucible.Bench;

/// <summary>
/// Python's <c>json</c> writes and reads <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c>, and datasets written by it
/// contain them (MBPP+ v0.2.0's Mbpp/404). System.Text.Json rejects them, so a record that fails to parse is retried
/// with those tokens, outside strings, rewritten as the judge's typed floats (<c>{"$float": "nan"}</c>), which every
/// consumer of arguments and expected values already reads.
/// </summary>
internal static class PythonJsonText
{
    /// <summary>The text with non-finite literals rewritten, or null when it has none (so the original error stands).</summary>
    public static string? RewriteNonFinite(string text)
    {
        StringBuilder? sb = null;
        var copied = 0;
        var inString = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"')
            {
                inString = true;
                continue;
            }
            string? word = null, typed = null;
            if (c == 'N' && Matches(text, i, "NaN")) (word, typed) = ("NaN", "{\"$float\":\"nan\"}");
            else if (c == 'I' && Matches(text, i, "Infinity")) (word, typed) = ("Infinity", "{\"$float\":\"inf\"}");
            else if (c == '-' && Matches(text, i, "-Infinity")) (word, typed) = ("-Infinity", "{\"$float\":\"-inf\"}");
            if (word is null) continue;
            sb ??= new StringBuilder(text.Length + 64);
            sb.Append(text, copied, i - copied).Append(typed);
            i += word.Length - 1;
            copied = i + 1;
        }
        return sb?.Append(text, copied, text.Length - copied).ToString();
    }

    private static bool Matches(string text, int at, string word) =>
        string.CompareOrdinal(text, at, word, 0, word.Length) == 0
        && (at + word.Length == text.Length || !char.IsAsciiLetterOrDigit(text[at + word.Length]));
}
