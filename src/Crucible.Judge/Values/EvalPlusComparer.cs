using System.Numerics;

namespace Crucible.Judge.Values;

/// <summary>
/// EvalPlus's decision for one input (<c>evalplus/eval/__init__.py</c>, <c>unsafe_execute</c>), on the host, for
/// returned values that are plain builtins: Python <c>out == exp</c>; the task's special oracle; then, when a
/// tolerance is in force and the values differ, same type, same length and numpy <c>allclose</c>. Anything that
/// would raise in EvalPlus (an oracle on a value of the wrong type, <c>set()</c> of unhashable items, allclose on
/// non-numbers) is a failed input there and here.
/// </summary>
internal static class EvalPlusComparer
{
    private const double Rtol = 1e-7;
    private static readonly ComparisonOptions PythonEquality = new() { Tuples = TupleMatching.Strict };

    public static bool Accepts(PyValue actual, PyValue expected, EvalPlusCheck check, PyValue arguments)
    {
        var exact = Equal(actual, expected);
        var args = arguments.Items;
        switch (check.Oracle)
        {
            case EvalPlusOracle.FindZero:
                return args.Count == 1 && Polynomial(args[0], actual) is { } y && Math.Abs(y) <= check.Atol;
            case EvalPlusOracle.AnyValue:
                exact = true;
                break;
            case EvalPlusOracle.ZeroAlsoAccepted:
                exact = exact || Equal(actual, PyValue.Int(0));
                break;
            case EvalPlusOracle.SurfaceArea:
                exact = exact || (args.Count == 2 && SurfaceArea(args[0], args[1]) is { } area && actual.IsNumber
                                  && Math.Abs(actual.AsDouble() - (double)area) <= check.Atol);
                break;
            case EvalPlusOracle.DigitDistance:
                exact = exact || (args.Count == 2 && DigitDistance(args[0], args[1]) is { } d && Equal(actual, PyValue.Int(d)));
                break;
            case EvalPlusOracle.SetEquality:
                exact = SetOf(actual) is { } a && SetOf(expected) is { } e && a.SetEquals(e);
                break;
        }
        if (check.Atol != 0 && !exact)
        {
            if (actual.Kind != expected.Kind) return false;
            if (expected.IsSequence && actual.Items.Count != expected.Items.Count) return false;
            return AllClose(actual, expected, check.Atol);
        }
        return exact;
    }

    /// <summary>EvalPlus's float rule: a float, or a non-empty list/tuple whose items are all floats.</summary>
    public static bool IsFloats(PyValue expected) =>
        expected.Kind == PyKind.Float || (expected.IsSequence && expected.Items.Count > 0 && expected.Items.All(x => x.Kind == PyKind.Float));

    private static bool Equal(PyValue a, PyValue e) => ValueComparer.Matches(a, e, PythonEquality);

    /// <summary>Python's <c>set(v)</c> as keys, or null where it raises (not iterable, unhashable items).</summary>
    private static HashSet<string>? SetOf(PyValue v)
    {
        IEnumerable<PyValue> items = v.Kind switch
        {
            PyKind.List or PyKind.Tuple or PyKind.Set or PyKind.FrozenSet => v.Items,
            PyKind.Dict => v.Entries.Select(e => e.Key),
            PyKind.Str => v.Text.EnumerateRunes().Select(r => PyValue.Str(r.ToString())),
            PyKind.Bytes => v.Bytes.Select(b => PyValue.Int(b)),
            _ => [],
        };
        if (v.Kind is not (PyKind.List or PyKind.Tuple or PyKind.Set or PyKind.FrozenSet or PyKind.Dict or PyKind.Str or PyKind.Bytes)) return null;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var x in items)
        {
            if (!Hashable(x)) return null;
            keys.Add(ValueComparer.Key(x));
        }
        return keys;
    }

    private static bool Hashable(PyValue v) => v.Kind switch
    {
        PyKind.List or PyKind.Dict or PyKind.Set => false,
        PyKind.Tuple => v.Items.All(Hashable),
        _ => true,
    };

    // numpy.allclose on nested lists of numbers: same shape (numpy would also broadcast; EvalPlus's length check
    // already fixes the top level), every pair |a − e| ≤ atol + rtol·|e|, equal infinities match, NaN never does.
    private static bool AllClose(PyValue a, PyValue e, double atol)
    {
        if (a.IsSequence != e.IsSequence) return false;
        if (a.IsSequence)
        {
            if (a.Items.Count != e.Items.Count) return false;
            for (var i = 0; i < a.Items.Count; i++)
                if (!AllClose(a.Items[i], e.Items[i], atol)) return false;
            return true;
        }
        if (!Numeric(a) || !Numeric(e)) return false;
        double x = a.AsDouble(), y = e.AsDouble();
        if (double.IsInfinity(x) || double.IsInfinity(y)) return x == y;
        return Math.Abs(x - y) <= atol + Rtol * Math.Abs(y);
    }

    // Ints beyond int64 make numpy build object arrays, on which isclose raises.
    private static bool Numeric(PyValue v) => v.Kind == PyKind.Float || v.Kind == PyKind.Bool
        || (v.Kind == PyKind.Int && v.Integer >= long.MinValue && v.Integer <= long.MaxValue);

    /// <summary>EvalPlus's <c>_poly(xs, x)</c>: Σ coeff · math.pow(x, i) in order (Python 3.11 float sum); null where Python raises.</summary>
    private static double? Polynomial(PyValue xs, PyValue x)
    {
        if (!xs.IsSequence || !x.IsNumber) return null;
        var point = Real(x);
        if (point is null) return null;
        double sum = 0;
        for (var i = 0; i < xs.Items.Count; i++)
        {
            var c = xs.Items[i];
            if (!c.IsNumber || Real(c) is not { } coeff) return null;
            var power = Math.Pow(point.Value, i);
            if (double.IsInfinity(power) && double.IsFinite(point.Value)) return null; // math.pow: OverflowError
            sum += coeff * power;
        }
        return sum;
    }

    /// <summary>An int or float as Python converts it to float (null: OverflowError).</summary>
    private static double? Real(PyValue v)
    {
        var d = v.AsDouble();
        return v.Kind != PyKind.Float && double.IsInfinity(d) ? null : d;
    }

    /// <summary>EvalPlus's Mbpp/581 oracle: round(base² + 4·base·slant/2) with slant = √((base/2)² + height²).</summary>
    private static BigInteger? SurfaceArea(PyValue baseEdge, PyValue height)
    {
        if (!baseEdge.IsNumber || !height.IsNumber || Real(baseEdge) is not { } b) return null;
        var half = Math.Pow(b / 2, 2);
        var h2 = Square(height);
        if (h2 is null) return null;
        var slant = Math.Sqrt(half + h2.Value);
        var baseArea = Square(baseEdge);
        if (baseArea is null) return null;
        var total = baseArea.Value + 4 * (b * slant) / 2;
        if (!double.IsFinite(total)) return null; // round() raises on inf / nan
        return new BigInteger(Math.Round(total, MidpointRounding.ToEven));
    }

    // x**2: exact for ints (then converted to float when added to a float), float pow otherwise.
    private static double? Square(PyValue v) => v.Kind == PyKind.Float ? Math.Pow(v.Float, 2) : Real(PyValue.Int(v.Integer * v.Integer));

    /// <summary>EvalPlus's Mbpp/558 oracle: Σ |digit difference| over the zero-padded decimal forms; null where Python raises.</summary>
    private static BigInteger? DigitDistance(PyValue a, PyValue b)
    {
        if (a.Kind != PyKind.Int || b.Kind != PyKind.Int || a.Integer.Sign < 0 || b.Integer.Sign < 0) return null;
        var (x, y) = (a.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture), b.Integer.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var width = Math.Max(x.Length, y.Length);
        (x, y) = (x.PadLeft(width, '0'), y.PadLeft(width, '0'));
        BigInteger total = 0;
        for (var i = 0; i < width; i++) total += Math.Abs(x[i] - y[i]);
        return total;
    }
}
