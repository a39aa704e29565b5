using System.Globalization;
using System.Text;

namespace Crucible.Bench;

/// <summary>
/// Python's text of a float and of a complex number (<c>repr</c>, which <c>str</c> equals for both): the shortest
/// digits that read back as the same double, in fixed notation for decimal exponents -5 &lt; e &lt; 16 and
/// scientific (<c>1e+16</c>, <c>1e-05</c>) otherwise, as CPython's <c>float_repr_style = 'short'</c> writes them.
/// EvalPlus's MBPP+ results hold such texts (<see cref="MbppPlusFailedInputs"/>).
/// </summary>
internal static class PythonRepr
{
    /// <summary><c>repr(float)</c>: <c>0.0</c>, <c>-0.0</c>, <c>1e+16</c>, <c>1000000000000000.0</c>, <c>inf</c>, <c>nan</c>.</summary>
    public static string Float(double d) => Format(d, addDotZero: true);

    /// <summary><c>str(complex(re, im))</c>: <c>1j</c> when the real part is +0, else <c>(1+2j)</c>, <c>(-0-1.5j)</c>.</summary>
    public static string Complex(double re, double im)
    {
        var imag = Format(im, addDotZero: false);
        if (re == 0 && !double.IsNegative(re)) return imag + "j";
        // The imaginary part always carries its sign ('+' format flag); NaN's sign is not shown, as in CPython.
        var signed = imag.StartsWith('-') ? imag : "+" + imag;
        return "(" + Format(re, addDotZero: false) + signed + "j)";
    }

    private static string Format(double d, bool addDotZero)
    {
        if (double.IsNaN(d)) return "nan";
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var (negative, digits, point) = ShortestDigits(d);
        var sb = new StringBuilder();
        if (negative) sb.Append('-');
        // `point` places the decimal point: value = 0.DIGITS × 10^point (CPython's decpt).
        if (point is > -4 and <= 16)
        {
            if (point <= 0) sb.Append("0.").Append('0', -point).Append(digits);
            else if (point >= digits.Length)
            {
                sb.Append(digits).Append('0', point - digits.Length);
                if (addDotZero) sb.Append(".0");
            }
            else sb.Append(digits, 0, point).Append('.').Append(digits, point, digits.Length - point);
            return sb.ToString();
        }
        sb.Append(digits[0]);
        if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
        var exponent = point - 1;
        sb.Append(exponent < 0 ? "e-" : "e+").Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>The sign, the shortest round-trip significant digits (no leading or trailing zeros; "0" for zero) and the decimal point's place.</summary>
    private static (bool Negative, string Digits, int Point) ShortestDigits(double d)
    {
        var negative = double.IsNegative(d);
        if (d == 0) return (negative, "0", 1);
        // .NET's "R" is the shortest text that round-trips; only its layout differs from Python's.
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = r.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..e];
        }
        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var intPart = dot < 0 ? r : r[..dot];
        var fraction = dot < 0 ? "" : r[(dot + 1)..];
        var all = intPart + fraction;
        var point = intPart.Length + exponent;
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        point -= lead;
        var digits = all[lead..].TrimEnd('0');
        return (negative, digits.Length == 0 ? "0" : digits, point);
    }
}
