using System.Globalization;
using System.Numerics;
using System.Text;

namespace Crucible.Judge.Values;

/// <summary>
/// Reads JSON as Python's <c>json</c> module writes it (NaN, Infinity, integers of any size, ints kept apart from
/// floats) plus the typed forms the harness uses for values JSON cannot express: <c>{"$tuple": [...]}</c>,
/// <c>{"$set": [...]}</c>, <c>{"$frozenset": [...]}</c>, <c>{"$dict": [[k, v], ...]}</c>, <c>{"$bytes": "b64"}</c>,
/// <c>{"$float": "nan"|"inf"|"-inf"}</c>, <c>{"$complex": [re, im]}</c>, <c>{"$hex": "-0x1f"}</c> (an int too big to write in
/// decimal cheaply). Any other object is a dict with string keys.
/// </summary>
internal sealed class PyJson
{
    private const int MaxDepth = 5000;
    private readonly string _s;
    private int _i;

    private PyJson(string s) => _s = s;

    /// <summary>Parses one value; throws <see cref="FormatException"/> saying where the text is malformed.</summary>
    public static PyValue Parse(string text)
    {
        var p = new PyJson(text);
        p.SkipWhitespace();
        var v = p.ReadValue(0);
        p.SkipWhitespace();
        if (p._i != text.Length) throw p.Error("unexpected text after the value");
        return v;
    }

    public static bool TryParse(string text, out PyValue value, out string? error)
    {
        try
        {
            value = Parse(text);
            error = null;
            return true;
        }
        catch (FormatException e)
        {
            value = PyValue.None;
            error = e.Message;
            return false;
        }
    }

    private FormatException Error(string what)
    {
        var start = Math.Max(0, _i - 20);
        var context = _s.Substring(start, Math.Min(40, _s.Length - start)).ReplaceLineEndings(" ");
        return new FormatException($"invalid JSON at offset {_i}: {what} (near \"{context}\")");
    }

    private void SkipWhitespace()
    {
        while (_i < _s.Length && _s[_i] is ' ' or '\t' or '\n' or '\r') _i++;
    }

    private bool TryWord(string word)
    {
        if (string.CompareOrdinal(_s, _i, word, 0, word.Length) != 0) return false;
        _i += word.Length;
        return true;
    }

    private PyValue ReadValue(int depth)
    {
        if (depth > MaxDepth) throw Error($"nested deeper than {MaxDepth} levels");
        if (_i >= _s.Length) throw Error("unexpected end of text");
        var c = _s[_i];
        switch (c)
        {
            case '{': return ReadObject(depth);
            case '[': return PyValue.Sequence(PyKind.List, ReadArray(depth));
            case '"': return PyValue.Str(ReadString());
        }
        if (TryWord("null")) return PyValue.None;
        if (TryWord("true")) return PyValue.True;
        if (TryWord("false")) return PyValue.False;
        if (TryWord("NaN")) return PyValue.Real(double.NaN);
        if (TryWord("Infinity")) return PyValue.Real(double.PositiveInfinity);
        if (TryWord("-Infinity")) return PyValue.Real(double.NegativeInfinity);
        if (c == '-' || char.IsAsciiDigit(c)) return ReadNumber();
        throw Error($"unexpected character '{c}'");
    }

    private PyValue ReadNumber()
    {
        var start = _i;
        if (_s[_i] == '-') _i++;
        var isFloat = false;
        while (_i < _s.Length)
        {
            var c = _s[_i];
            if (char.IsAsciiDigit(c)) _i++;
            else if (c is '.' or 'e' or 'E' or '+' or '-')
            {
                isFloat = true;
                _i++;
            }
            else break;
        }
        var text = _s.AsSpan(start, _i - start);
        if (!isFloat && BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var big))
            return PyValue.Int(big);
        if (isFloat && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return PyValue.Real(d);
        _i = start;
        throw Error($"malformed number '{text}'");
    }

    private string ReadString()
    {
        _i++; // opening quote
        var sb = new StringBuilder();
        while (true)
        {
            if (_i >= _s.Length) throw Error("unterminated string");
            var c = _s[_i++];
            if (c == '"') return sb.ToString();
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (_i >= _s.Length) throw Error("unterminated escape");
            var e = _s[_i++];
            switch (e)
            {
                case '"': sb.Append('"'); break;
                case '\\': sb.Append('\\'); break;
                case '/': sb.Append('/'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'u':
                    if (_i + 4 > _s.Length || !int.TryParse(_s.AsSpan(_i, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var code))
                        throw Error("bad \\u escape");
                    sb.Append((char)code);
                    _i += 4;
                    break;
                default: throw Error($"bad escape '\\{e}'");
            }
        }
    }

    private List<PyValue> ReadArray(int depth)
    {
        _i++;
        var items = new List<PyValue>();
        SkipWhitespace();
        if (_i < _s.Length && _s[_i] == ']')
        {
            _i++;
            return items;
        }
        while (true)
        {
            SkipWhitespace();
            items.Add(ReadValue(depth + 1));
            SkipWhitespace();
            if (_i >= _s.Length) throw Error("unterminated array");
            var c = _s[_i++];
            if (c == ']') return items;
            if (c != ',') throw Error("expected ',' or ']' in an array");
        }
    }

    private PyValue ReadObject(int depth)
    {
        _i++;
        var entries = new List<KeyValuePair<PyValue, PyValue>>();
        SkipWhitespace();
        if (_i < _s.Length && _s[_i] == '}') _i++;
        else
        {
            while (true)
            {
                SkipWhitespace();
                if (_i >= _s.Length || _s[_i] != '"') throw Error("expected a string key in an object");
                var key = ReadString();
                SkipWhitespace();
                if (_i >= _s.Length || _s[_i++] != ':') throw Error("expected ':' after an object key");
                SkipWhitespace();
                entries.Add(new(PyValue.Str(key), ReadValue(depth + 1)));
                SkipWhitespace();
                if (_i >= _s.Length) throw Error("unterminated object");
                var c = _s[_i++];
                if (c == '}') break;
                if (c != ',') throw Error("expected ',' or '}' in an object");
            }
        }
        if (entries.Count == 1 && entries[0].Key.Text.StartsWith('$') && Typed(entries[0].Key.Text, entries[0].Value) is { } typed)
            return typed;
        return PyValue.Dict(entries);
    }

    private PyValue? Typed(string tag, PyValue v)
    {
        switch (tag)
        {
            case "$tuple" when v.Kind == PyKind.List: return PyValue.Sequence(PyKind.Tuple, v.Items);
            case "$set" when v.Kind == PyKind.List: return PyValue.Sequence(PyKind.Set, v.Items);
            case "$frozenset" when v.Kind == PyKind.List: return PyValue.Sequence(PyKind.FrozenSet, v.Items);
            case "$dict" when v.Kind == PyKind.List:
                var entries = new List<KeyValuePair<PyValue, PyValue>>(v.Items.Count);
                foreach (var pair in v.Items)
                {
                    if (pair.Kind != PyKind.List || pair.Items.Count != 2) throw Error("a $dict entry must be a [key, value] pair");
                    entries.Add(new(pair.Items[0], pair.Items[1]));
                }
                return PyValue.Dict(entries);
            case "$float" when v.Kind == PyKind.Str:
                return v.Text switch
                {
                    "nan" => PyValue.Real(double.NaN),
                    "inf" => PyValue.Real(double.PositiveInfinity),
                    "-inf" => PyValue.Real(double.NegativeInfinity),
                    _ => throw Error($"unknown $float '{v.Text}'"),
                };
            case "$hex" when v.Kind == PyKind.Str:
                // Huge ints travel in hex: Python converts ints to decimal in quadratic time, to hex in linear time.
                var hex = v.Text.AsSpan();
                var negative = hex.StartsWith("-");
                if (negative) hex = hex[1..];
                if (hex.StartsWith("0x")) hex = hex[2..];
                if (!BigInteger.TryParse("0" + hex.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var big)) throw Error("$hex is not a hexadecimal integer");
                return PyValue.Int(negative ? -big : big);
            case "$bytes" when v.Kind == PyKind.Str:
                try { return PyValue.ByteString(Convert.FromBase64String(v.Text)); }
                catch (FormatException) { throw Error("$bytes is not base64"); }
            case "$complex" when v.Kind == PyKind.List && v.Items.Count == 2 && v.Items[0].IsNumber && v.Items[1].IsNumber:
                return PyValue.ComplexNumber(v.Items[0].AsDouble(), v.Items[1].AsDouble());
            default:
                return null;
        }
    }
}
