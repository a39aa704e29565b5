using System.Globalization;
using System.Text.Json;

namespace Crucible.Bench;

/// <summary>
/// Writes a value in the judge's typed JSON as Python's <c>json.dump</c> would write the Python value (what EvalPlus
/// puts in its results): tuples and sets as lists, NaN/Infinity as Python's literals, complex numbers as their
/// <c>str()</c>, bytes as text, dicts with non-string keys as objects keyed by <c>str(key)</c>.
/// </summary>
internal static class PlainJson
{
    public static void Write(Utf8JsonWriter w, string typedJson)
    {
        var text = PythonJsonText.RewriteNonFinite(typedJson) ?? typedJson;
        using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 4096 });
        Write(w, doc.RootElement);
    }

    private static void Write(Utf8JsonWriter w, JsonElement e)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                w.WriteStartArray();
                foreach (var x in e.EnumerateArray()) Write(w, x);
                w.WriteEndArray();
                return;
            case JsonValueKind.Object:
                var props = e.EnumerateObject().ToList();
                if (props.Count == 1 && Typed(w, props[0].Name, props[0].Value)) return;
                w.WriteStartObject();
                foreach (var p in props)
                {
                    w.WritePropertyName(p.Name);
                    Write(w, p.Value);
                }
                w.WriteEndObject();
                return;
            default:
                e.WriteTo(w);
                return;
        }
    }

    private static bool Typed(Utf8JsonWriter w, string tag, JsonElement v)
    {
        switch (tag)
        {
            case "$tuple" or "$set" or "$frozenset" when v.ValueKind == JsonValueKind.Array:
                Write(w, v);
                return true;
            case "$float" when v.ValueKind == JsonValueKind.String:
                w.WriteRawValue(v.GetString() switch { "nan" => "NaN", "inf" => "Infinity", _ => "-Infinity" }, skipInputValidation: true);
                return true;
            case "$bytes" when v.ValueKind == JsonValueKind.String:
                w.WriteStringValue(v.GetString());
                return true;
            case "$complex" when v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2:
                w.WriteStringValue(PythonRepr.Complex(Number(v[0]), Number(v[1])));
                return true;
            case "$dict" when v.ValueKind == JsonValueKind.Array:
                w.WriteStartObject();
                foreach (var pair in v.EnumerateArray())
                {
                    w.WritePropertyName(pair[0].ValueKind == JsonValueKind.String ? pair[0].GetString()! : pair[0].GetRawText());
                    Write(w, pair[1]);
                }
                w.WriteEndObject();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A typed JSON number (<c>{"$float": "inf"}</c> included) as a double; 0 for anything else.</summary>
    internal static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble()
        : e.ValueKind == JsonValueKind.Object && e.TryGetProperty("$float", out var f) ? f.GetString() switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, _ => double.NegativeInfinity }
        : 0;
}
