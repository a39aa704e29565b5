using System.Text.Json;

namespace Crucible.Judge.Execution;

/// <summary>
/// Field access on harness records that tolerates absent or mistyped fields. Names are UTF-8, as the records are:
/// a name given as a string is transcoded on every lookup, and a batch looks up several fields of every record.
/// </summary>
internal static class RecordFields
{
    public static string? Str(this JsonElement e, ReadOnlySpan<byte> name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;

    /// <summary>Whether the field is the string <paramref name="value"/> (compared as UTF-8, nothing allocated).</summary>
    public static bool Is(this JsonElement e, ReadOnlySpan<byte> name, ReadOnlySpan<byte> value) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.ValueEquals(value);

    public static int? Int(this JsonElement e, ReadOnlySpan<byte> name) =>
        e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetInt32(out var v) ? v : null;

    public static double Seconds(this JsonElement e, ReadOnlySpan<byte> name) => e.TryGetProperty(name, out var p) ? SecondsOf(p) : 0;

    /// <summary>A time field's value: 0 when it is not a number, negative or not finite.</summary>
    public static double SecondsOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var v) && double.IsFinite(v) && v >= 0 ? v : 0;

    /// <summary>The record a test gets when it has two different records of one kind: it fails the test.</summary>
    public static readonly JsonElement Forged = JsonDocument.Parse("{\"s\":\"forged\"}").RootElement.Clone();

    /// <summary>
    /// Keeps one record per test: a test with two different records (only a solution writing on the harness's channel
    /// can cause that) gets <paramref name="forged"/> instead, a record that fails it.
    /// </summary>
    public static void KeepOnePerTest<T>(Dictionary<int, T> byTest, int test, T record, Func<T, JsonElement> raw, T forged)
    {
        if (!byTest.TryGetValue(test, out var seen)) byTest[test] = record;
        else if (raw(seen).GetRawText() != raw(record).GetRawText()) byTest[test] = forged;
    }

    public static string? Raw(this JsonElement e, ReadOnlySpan<byte> name) => e.TryGetProperty(name, out var p) ? p.GetRawText() : null;

    /// <summary>"ValueError: message" from an exception record.</summary>
    public static string Exception(this JsonElement e)
    {
        var name = e.Str("n"u8) ?? e.Str("e"u8) ?? "Exception";
        var message = e.Str("m"u8);
        return string.IsNullOrEmpty(message) ? name : $"{name}: {message}";
    }
}
