using System.Globalization;

namespace Crucible.Bench;

/// <summary>Python's <c>float(str)</c> and <c>complex(str)</c> for the strings MBPP+ stores, and float literals Python reads back as floats.</summary>
internal static class PythonNumbers
{
    public static bool TryParseFloat(string text, out double value)
    {
        var s = text.Trim().Replace("_", "", StringComparison.Ordinal).ToLowerInvariant();
        var sign = 1.0;
        var body = s;
        if (body.StartsWith('-') || body.StartsWith('+'))
        {
            sign = body[0] == '-' ? -1 : 1;
            body = body[1..];
        }
        switch (body)
        {
            case "inf" or "infinity":
                value = sign * double.PositiveInfinity;
                return true;
            case "nan":
                value = double.NaN;
                return true;
        }
        value = 0;
        if (body.Length == 0 || !(char.IsAsciiDigit(body[0]) || body[0] == '.')
            || !double.TryParse(body, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
            return false;
        value *= sign;
        return true;
    }

    /// <summary>Python's complex() of a string: "1+2j", "(1-2.5j)", "3j", "-4"; whitespace only around it.</summary>
    public static bool TryParseComplex(string text, out (double Re, double Im) value)
    {
        value = default;
        var s = text.Trim();
        if (s.StartsWith('(') && s.EndsWith(')')) s = s[1..^1].Trim();
        if (s.Length == 0 || s.Contains(' ', StringComparison.Ordinal)) return false;
        if (!s.EndsWith('j') && !s.EndsWith('J'))
        {
            if (!TryParseFloat(s, out var re)) return false;
            value = (re, 0);
            return true;
        }
        var body = s[..^1];
        // The split point is the last sign that is not the exponent's and not the leading one.
        var split = -1;
        for (var i = body.Length - 1; i > 0; i--)
            if (body[i] is '+' or '-' && body[i - 1] is not ('e' or 'E')) { split = i; break; }
        var imagText = split < 0 ? body : body[split..];
        var realText = split < 0 ? "" : body[..split];
        double imag;
        if (imagText is "" or "+") imag = 1;
        else if (imagText == "-") imag = -1;
        else if (!TryParseFloat(imagText, out imag)) return false;
        var real = 0.0;
        if (realText.Length > 0 && !TryParseFloat(realText, out real)) return false;
        value = (real, imag);
        return true;
    }

    /// <summary>Shortest round-trip text that JSON accepts and Python reads as a float (never as an int).</summary>
    public static string FloatLiteral(double d)
    {
        var s = d.ToString("R", CultureInfo.InvariantCulture);
        return s.Contains('.', StringComparison.Ordinal) || s.Contains('E', StringComparison.Ordinal) ? s : s + ".0";
    }
}
