namespace Crucible.Agent.Repository.Map;

/// <summary>
/// Splits prose and code into search terms: identifiers are cut at underscores and camelCase humps and lowered, and
/// the whole identifier is kept too, so <c>parse_line</c> matches both "parse line" and <c>parse_line</c>.
/// </summary>
public static class CodeTokens
{
    private static readonly HashSet<string> Stop = new(StringComparer.Ordinal)
    {
        "the", "and", "for", "that", "this", "with", "not", "are", "but", "from", "when", "should", "would", "have", "has",
        "was", "were", "will", "can", "its", "into", "than", "then", "there", "which", "what", "self", "def", "return",
        "import", "none", "true", "false", "class", "if", "else", "in", "is", "of", "to", "a", "an", "it", "be", "or", "on",
    };

    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && IsWordChar(text[i])) i++;
            var word = text[start..i];
            if (word.Length > 64 || char.IsDigit(word[0])) continue;
            var lower = word.ToLowerInvariant();
            if (lower.Length >= 2 && !Stop.Contains(lower)) terms.Add(lower);
            var parts = Split(word);
            if (parts.Count > 1)
                foreach (var p in parts)
                    if (p.Length >= 2 && !Stop.Contains(p)) terms.Add(p);
        }
        return terms;
    }

    /// <summary>Identifiers (letters, digits, underscores; not starting with a digit) of at least 3 characters in <paramref name="text"/>.</summary>
    public static HashSet<string> Identifiers(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < text.Length)
        {
            if (!IsWordChar(text[i])) { i++; continue; }
            var start = i;
            while (i < text.Length && IsWordChar(text[i])) i++;
            if (i - start >= 3 && !char.IsDigit(text[start])) set.Add(text[start..i]);
        }
        return set;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static List<string> Split(string word)
    {
        var parts = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var i = 0; i < word.Length; i++)
        {
            var c = word[i];
            if (c == '_') { Flush(); continue; }
            if (char.IsUpper(c) && current.Length > 0 && (char.IsLower(word[i - 1]) || (i + 1 < word.Length && char.IsLower(word[i + 1])))) Flush();
            current.Append(char.ToLowerInvariant(c));
        }
        Flush();
        return parts;

        void Flush()
        {
            if (current.Length > 0) parts.Add(current.ToString());
            current.Clear();
        }
    }
}
