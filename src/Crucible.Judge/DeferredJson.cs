namespace Crucible.Judge;

/// <summary>
/// A JSON value kept outside memory until it is needed, e.g. an expected output in the reference oracle's cache
/// file. HumanEval+ has expected outputs of many MB (about 290 MB over its 164 problems, nearly all of it in 73
/// answers); holding them all as strings for a whole evaluation cost over 0.5 GB. Implementations must be safe to
/// load from several threads at once and must keep returning the same text.
/// </summary>
public abstract class DeferredJson
{
    /// <summary>The value's length in UTF-8 bytes.</summary>
    public abstract long Utf8Length { get; }

    /// <summary>The value's first character, known without loading it (lets callers skip values that cannot matter).</summary>
    public abstract char First { get; }

    /// <summary>Reads the value as UTF-8; every call reads it again, so callers keep it only as long as they need it.</summary>
    public abstract byte[] LoadUtf8();

    /// <summary>Reads the value as text (see <see cref="LoadUtf8"/>).</summary>
    public string Load() => System.Text.Encoding.UTF8.GetString(LoadUtf8());
}
