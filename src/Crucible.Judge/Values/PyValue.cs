using System.Globalization;
using System.Numerics;
using System.Text;

namespace Crucible.Judge.Values;

/// <summary>
/// A plain Python value on the host: what a harness sent back (strictly typed, see the harness's <c>_enc</c>) or what
/// a dataset expects. Immutable; compared by <see cref="ValueComparer"/>.
/// </summary>
internal sealed class PyValue
{
    public static readonly PyValue None = new(PyKind.None);
    public static readonly PyValue True = new(PyKind.Bool) { Integer = BigInteger.One };
    public static readonly PyValue False = new(PyKind.Bool) { Integer = BigInteger.Zero };

    private PyValue(PyKind kind) => Kind = kind;

    public PyKind Kind { get; }

    /// <summary>Int value (and 0/1 for bools).</summary>
    public BigInteger Integer { get; private init; }

    /// <summary>Float value, or the real part of a complex.</summary>
    public double Float { get; private init; }

    public double Imaginary { get; private init; }
    public string Text { get; private init; } = "";
    public byte[] Bytes { get; private init; } = [];

    /// <summary>Elements of list, tuple, set and frozenset.</summary>
    public IReadOnlyList<PyValue> Items { get; private init; } = [];

    /// <summary>Entries of a dict, in order.</summary>
    public IReadOnlyList<KeyValuePair<PyValue, PyValue>> Entries { get; private init; } = [];

    public bool IsNumber => Kind is PyKind.Bool or PyKind.Int or PyKind.Float;
    public bool IsSequence => Kind is PyKind.List or PyKind.Tuple;
    public bool IsSet => Kind is PyKind.Set or PyKind.FrozenSet;

    public static PyValue Bool(bool b) => b ? True : False;
    public static PyValue Int(BigInteger i) => new(PyKind.Int) { Integer = i };
    public static PyValue Real(double d) => new(PyKind.Float) { Float = d };
    public static PyValue ComplexNumber(double re, double im) => new(PyKind.Complex) { Float = re, Imaginary = im };
    public static PyValue Str(string s) => new(PyKind.Str) { Text = s };
    public static PyValue ByteString(byte[] b) => new(PyKind.Bytes) { Bytes = b };
    public static PyValue Sequence(PyKind kind, IReadOnlyList<PyValue> items) => new(kind) { Items = items };
    public static PyValue Dict(IReadOnlyList<KeyValuePair<PyValue, PyValue>> entries) => new(PyKind.Dict) { Entries = entries };

    /// <summary>The number as a double (ints beyond double range become ±∞).</summary>
    public double AsDouble() => Kind == PyKind.Float ? Float : (double)Integer;

    /// <summary>Python's <c>repr</c>, for messages and previews.</summary>
    public override string ToString() => ToString(1_000_000);

    /// <summary>
    /// The start of Python's <c>repr</c>: exactly its first <paramref name="maxChars"/> characters, and more only when
    /// the whole is longer (then with "..."), so a preview of a large value does not render all of it.
    /// </summary>
    public string ToString(int maxChars)
    {
        var sb = new StringBuilder();
        Write(sb, 0, maxChars);
        return sb.ToString();
    }

    private void Write(StringBuilder sb, int depth, int limit)
    {
        if (depth > 200 || sb.Length > limit)
        {
            sb.Append("...");
            return;
        }
        switch (Kind)
        {
            case PyKind.None: sb.Append("None"); break;
            case PyKind.Bool: sb.Append(Integer.IsZero ? "False" : "True"); break;
            case PyKind.Int:
                // Decimal conversion is quadratic; previews of huge ints (EvalPlus has million-digit answers) say their size.
                if (Integer.GetBitLength() > 4000) sb.Append("<int of ").Append((long)(Integer.GetBitLength() * 0.30103)).Append(" digits>");
                else sb.Append(Integer.ToString(CultureInfo.InvariantCulture));
                break;
            case PyKind.Float: sb.Append(FloatRepr(Float)); break;
            case PyKind.Complex: sb.Append('(').Append(FloatRepr(Float)).Append(Imaginary < 0 || double.IsNegative(Imaginary) ? "" : "+").Append(FloatRepr(Imaginary)).Append("j)"); break;
            case PyKind.Str: WriteString(sb, Text); break;
            case PyKind.Bytes: sb.Append('b'); WriteString(sb, Encoding.Latin1.GetString(Bytes)); break;
            case PyKind.List: WriteItems(sb, "[", "]", depth, limit); break;
            case PyKind.Tuple: WriteItems(sb, "(", Items.Count == 1 ? ",)" : ")", depth, limit); break;
            case PyKind.Set:
                if (Items.Count == 0) sb.Append("set()"); else WriteItems(sb, "{", "}", depth, limit);
                break;
            case PyKind.FrozenSet: sb.Append("frozenset("); if (Items.Count > 0) WriteItems(sb, "{", "}", depth, limit); sb.Append(')'); break;
            case PyKind.Dict:
                sb.Append('{');
                for (var i = 0; i < Entries.Count; i++)
                {
                    if (sb.Length > limit) { sb.Append("..."); break; }
                    if (i > 0) sb.Append(", ");
                    Entries[i].Key.Write(sb, depth + 1, limit);
                    sb.Append(": ");
                    Entries[i].Value.Write(sb, depth + 1, limit);
                }
                sb.Append('}');
                break;
        }
    }

    private void WriteItems(StringBuilder sb, string open, string close, int depth, int limit)
    {
        sb.Append(open);
        for (var i = 0; i < Items.Count; i++)
        {
            if (sb.Length > limit) { sb.Append("..."); break; }
            if (i > 0) sb.Append(", ");
            Items[i].Write(sb, depth + 1, limit);
        }
        sb.Append(close);
    }

    internal static string FloatRepr(double d)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsPositiveInfinity(d)) return "inf";
        if (double.IsNegativeInfinity(d)) return "-inf";
        var r = d.ToString("R", CultureInfo.InvariantCulture);
        if (r.Contains('E', StringComparison.Ordinal)) r = r.Replace("E", "e", StringComparison.Ordinal);
        else if (!r.Contains('.', StringComparison.Ordinal)) r += ".0";
        return r;
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        sb.Append(quote);
        foreach (var c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote) sb.Append('\\').Append(c);
                    else if (c < 0x20 || c == 0x7f) sb.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append(quote);
    }
}
