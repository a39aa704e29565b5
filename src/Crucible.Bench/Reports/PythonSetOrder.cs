using System.Numerics;
using System.Text.Json;

namespace Crucible.Bench;

/// <summary>
/// The order of <c>list(set(values))</c> in CPython, for values that are numbers or booleans: a set iterates its hash
/// table in slot order, so the order follows from the values' hashes and the table's insertion and growth rules
/// (Objects/setobject.c: linear probing of 9 slots, then perturbed probing; the table grows ×4 when two-thirds full).
/// Equal values (1, 1.0, True) keep the first one inserted. Strings, None and NaN hash differently in every Python
/// process (hash randomisation, identity hashes), so there is no one order to reproduce: values with any of them keep
/// their first-seen order, duplicates removed.
/// </summary>
internal static class PythonSetOrder
{
    private const ulong Modulus = (1UL << 61) - 1; // _PyHASH_MODULUS
    private const int LinearProbes = 9;
    private const int PerturbShift = 5;
    private const int MinSize = 8;

    public static List<JsonElement> ListOfSet(IReadOnlyList<JsonElement> values)
    {
        var keys = new List<Entry>();
        foreach (var v in values)
        {
            if (Key(v) is not { } key) return FirstSeen(values);
            keys.Add(key);
        }

        var table = new Entry?[MinSize];
        int fill = 0;
        foreach (var k in keys)
        {
            if (!Add(table, k)) continue;
            fill++;
            if ((ulong)fill * 5 >= (ulong)(table.Length - 1) * 3) table = Resize(table, fill > 50000 ? fill * 2 : fill * 4);
        }
        return table.Where(e => e is not null).Select(e => e!.Value.Value).ToList();
    }

    // set_add_entry: the first empty slot in probe order takes the key; an equal key met first ends the insertion.
    private static bool Add(Entry?[] table, Entry key)
    {
        foreach (var j in ProbeOrder(key.Hash, (ulong)table.Length - 1))
        {
            if (table[j] is not { } entry)
            {
                table[j] = key;
                return true;
            }
            if (entry.Hash == key.Hash && SameNumber(entry, key)) return false;
        }
        throw new InvalidOperationException("unreachable: probing never ends"); // ProbeOrder is endless
    }

    // set_table_resize: the smallest power of two above minUsed (at least 8), the old entries re-inserted in slot order
    // (set_insert_clean: the first empty slot in probe order).
    private static Entry?[] Resize(Entry?[] old, int minUsed)
    {
        var size = MinSize;
        while (size <= minUsed) size <<= 1;
        var table = new Entry?[size];
        foreach (var e in old)
        {
            if (e is not { } key) continue;
            table[ProbeOrder(key.Hash, (ulong)size - 1).First(j => table[j] is null)] = key;
        }
        return table;
    }

    // The slots CPython visits for a hash, in order: from hash & mask, that slot and the 9 after it when they fit in
    // the table (else that slot alone), then on to (i * 5 + 1 + perturb) & mask with perturb shifted down 5 bits.
    private static IEnumerable<ulong> ProbeOrder(long hash, ulong mask)
    {
        var perturb = (ulong)hash;
        var i = (ulong)hash & mask;
        while (true)
        {
            var last = i + LinearProbes <= mask ? i + LinearProbes : i;
            for (var j = i; j <= last; j++) yield return j;
            perturb >>= PerturbShift;
            i = (i * 5 + 1 + perturb) & mask;
        }
    }

    private static bool SameNumber(Entry a, Entry b) =>
        a.Int is { } x && b.Int is { } y ? x == y
        : a.Int is { } ai ? (double)ai == b.Number && new BigInteger(b.Number) == ai
        : b.Int is { } bi ? (double)bi == a.Number && new BigInteger(a.Number) == bi
        : a.Number == b.Number;

    /// <summary>A set member: the value as written, as a number (an integer exactly) and its Python hash.</summary>
    private readonly record struct Entry(JsonElement Value, double Number, BigInteger? Int, long Hash);

    /// <summary>The value's set entry; null for what has no reproducible hash.</summary>
    private static Entry? Key(JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return new Entry(v, 1, BigInteger.One, 1);
            case JsonValueKind.False: return new Entry(v, 0, BigInteger.Zero, 0);
            case JsonValueKind.Number:
                var raw = v.GetRawText();
                if (!raw.Contains('.') && !raw.Contains('e') && !raw.Contains('E'))
                {
                    var n = BigInteger.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
                    return new Entry(v, (double)n, n, IntHash(n));
                }
                var d = v.GetDouble();
                return new Entry(v, d, null, FloatHash(d));
            default:
                return null;
        }
    }

    // long_hash: |n| mod 2^61-1 with n's sign; -1 is reserved, so it becomes -2.
    private static long IntHash(BigInteger n)
    {
        var h = (long)(BigInteger.Abs(n) % Modulus);
        if (n.Sign < 0) h = -h;
        return h == -1 ? -2 : h;
    }

    // _Py_HashDouble: integral floats hash as the integer; others by their binary expansion mod 2^61-1.
    private static long FloatHash(double v)
    {
        if (double.IsInfinity(v)) return v > 0 ? 314159 : -314159;
        if (Math.Floor(v) == v && Math.Abs(v) < 1e300) return IntHash(new BigInteger(v));
        var (m, e) = Frexp(v);
        var sign = 1L;
        if (m < 0)
        {
            sign = -1;
            m = -m;
        }
        ulong x = 0;
        while (m != 0)
        {
            x = ((x << 28) & Modulus) | x >> (61 - 28);
            m *= 268435456.0;
            e -= 28;
            var y = (ulong)m;
            m -= y;
            x += y;
            if (x >= Modulus) x -= Modulus;
        }
        e = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
        x = ((x << e) & Modulus) | x >> (61 - e);
        var h = (long)x * sign;
        return h == -1 ? -2 : h;
    }

    // C's frexp: v = m × 2^e with 0.5 <= |m| < 1.
    private static (double M, int E) Frexp(double v)
    {
        var e = (int)Math.Floor(Math.Log2(Math.Abs(v))) + 1;
        var m = Math.ScaleB(v, -e);
        if (Math.Abs(m) >= 1) { m /= 2; e++; }
        else if (Math.Abs(m) < 0.5) { m *= 2; e--; }
        return (m, e);
    }

    private static List<JsonElement> FirstSeen(IReadOnlyList<JsonElement> values)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        return values.Where(v => seen.Add(v.GetRawText())).ToList();
    }
}
