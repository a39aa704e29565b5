using System.Text.Json;

namespace Crucible.Judge.Execution;

/// <summary>
/// The fields of a function-call result record (<c>{"t":"r","i":…,"s":…,"cpu":…,"wall":…,"v":…}</c>) that judging
/// every test needs, read in one pass over the record: looked up one by one (<see cref="RecordFields"/>), the eight
/// lookups per test each scanned the record again. Same rules as those lookups: the last occurrence of a name counts,
/// and a time that is absent, not a number, negative or not finite reads as 0; a record without <c>wall</c> has its
/// CPU time as its wall time (the harness sends one time for a short call it measured by the wall clock alone).
/// </summary>
internal readonly record struct CallRecord(JsonElement Record, bool Ok, bool Refused, bool Converted, double Cpu, double Wall, JsonElement Value)
{
    /// <summary>Whether the record is a test's result (<c>"t":"r"</c>).</summary>
    public bool IsResult { get; init; }

    /// <summary>The test's index (<c>i</c>), when it is an integer.</summary>
    public int? Index { get; init; }

    /// <summary>
    /// The SHA-256 (hex) of the returned value's JSON text, sent instead of the value when that text is large
    /// (<c>d</c>; the harness's <c>_digest_fields</c>); null otherwise.
    /// </summary>
    public string? Digest { get; init; }

    /// <summary>Whether the record carries a returned value (<c>v</c>).</summary>
    public bool HasValue => Value.ValueKind != JsonValueKind.Undefined;

    public static CallRecord Read(JsonElement record)
    {
        if (record.ValueKind != JsonValueKind.Object) return new CallRecord(record, false, false, false, 0, 0, default);
        bool ok = false, refused = false, converted = false, result = false;
        int? index = null;
        double cpu = 0, wall = 0;
        var hasWall = false;
        JsonElement value = default;
        string? digest = null;
        foreach (var p in record.EnumerateObject())
        {
            if (p.NameEquals("t"u8)) result = p.Value.ValueKind == JsonValueKind.String && p.Value.ValueEquals("r"u8);
            else if (p.NameEquals("i"u8)) index = p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt32(out var i) ? i : null;
            else if (p.NameEquals("s"u8))
            {
                ok = p.Value.ValueKind == JsonValueKind.String && p.Value.ValueEquals("ok"u8);
                refused = p.Value.ValueKind == JsonValueKind.String && p.Value.ValueEquals("bad"u8);
            }
            else if (p.NameEquals("cpu"u8)) cpu = RecordFields.SecondsOf(p.Value);
            else if (p.NameEquals("wall"u8))
            {
                wall = RecordFields.SecondsOf(p.Value);
                hasWall = true;
            }
            else if (p.NameEquals("v"u8)) value = p.Value;
            else if (p.NameEquals("x"u8)) converted = true;
            else if (p.NameEquals("d"u8)) digest = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : null;
        }
        return new CallRecord(record, ok, refused, converted, cpu, hasWall ? wall : cpu, value) { IsResult = result, Index = index, Digest = digest };
    }

    /// <summary>
    /// The result records of a run by test, each read once; a test with two different records (only a solution
    /// writing on the harness's channel can cause that) gets a record that fails it.
    /// </summary>
    public static Dictionary<int, CallRecord> ByTest(List<JsonElement> records)
    {
        var byTest = new Dictionary<int, CallRecord>();
        foreach (var r in records)
        {
            var rec = Read(r);
            if (rec.IsResult && rec.Index is { } i) RecordFields.KeepOnePerTest(byTest, i, rec, c => c.Record, Forged);
        }
        return byTest;
    }

    private static readonly CallRecord Forged = Read(RecordFields.Forged);
}
