using System.Text;

namespace Crucible.Curation;

/// <summary>
/// Turns statements and code into comparable units: lower-case words (letters and digits) for statements, so that
/// punctuation, markup and whitespace differences do not hide a copy; identifier/number/symbol tokens for code.
/// </summary>
public static class TextNormalizer
{
    /// <summary>Lower-case words of the text, everything that is not a letter or digit being a separator.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c)) sb.Append(char.ToLowerInvariant(c));
            else if (sb.Length > 0)
            {
                words.Add(sb.ToString());
                sb.Clear();
            }
        }
        if (sb.Length > 0) words.Add(sb.ToString());
        return words;
    }

    /// <summary>The words joined by single spaces: the text an exact duplicate must match.</summary>
    public static string Normalize(string text) => string.Join(' ', Words(text));

    /// <summary>
    /// Code tokens: identifiers and numbers whole, every other non-space character alone. Comments and layout are not
    /// removed (a pasted solution keeps them too), but whitespace never counts.
    /// </summary>
    public static List<string> CodeTokens(string code)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < code.Length)
        {
            var c = code[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            var start = i;
            if (char.IsLetterOrDigit(c) || c == '_')
                while (i < code.Length && (char.IsLetterOrDigit(code[i]) || code[i] == '_')) i++;
            else i++;
            tokens.Add(code[start..i]);
        }
        return tokens;
    }
}
