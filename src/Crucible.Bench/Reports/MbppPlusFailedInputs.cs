using System.Text.Json;

namespace Crucible.Bench;

/// <summary>
/// EvalPlus writes the failing inputs of three MBPP+ tasks in a form of their own (<c>evalplus/data/mbpp.py</c>,
/// <c>mbpp_serialize_inputs</c>, applied to the inputs as its loader rebuilt them, <see cref="MbppPlusInputs"/>):
/// Mbpp/115's sets as lists (<c>list(set)</c>, in CPython's set order, <see cref="PythonSetOrder"/>; its empty
/// items, which the loader made <c>{}</c>, as <c>[]</c>), and Mbpp/124's and 252's float and complex arguments as
/// their <c>str()</c> (<c>["0.0", "1j"]</c>). Every other input is written as <see cref="PlainJson"/> writes it.
/// </summary>
internal static class MbppPlusFailedInputs
{
    /// <summary>Writes one input (the test's typed argument list) as EvalPlus's results hold it for <paramref name="taskId"/>.</summary>
    public static void Write(Utf8JsonWriter w, string taskId, string typedArguments)
    {
        var task = MbppPlusInputs.TaskNumber(taskId);
        if (task is not (115 or 124 or 252))
        {
            PlainJson.Write(w, typedArguments);
            return;
        }
        using var doc = JsonDocument.Parse(PythonJsonText.RewriteNonFinite(typedArguments) ?? typedArguments, new JsonDocumentOptions { MaxDepth = 4096 });
        var args = doc.RootElement.EnumerateArray().ToList();
        w.WriteStartArray();
        switch (task)
        {
            case 115:
                // [[list(item) for item in inp[0]]]: each item a set (or {}), listed in the set's own order.
                w.WriteStartArray();
                foreach (var item in args[0].EnumerateArray())
                {
                    w.WriteStartArray();
                    if (Tagged(item, "$set") is { } members)
                        foreach (var m in PythonSetOrder.ListOfSet(members.EnumerateArray().ToList())) PlainJson.Write(w, m.GetRawText());
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                break;
            case 124:
                // (str(float(a)), str(complex(b)))
                w.WriteStringValue(PythonRepr.Float(PlainJson.Number(args[0])));
                w.WriteStringValue(ComplexText(args[1]));
                break;
            case 252:
                // [str(complex(a))]
                w.WriteStringValue(ComplexText(args[0]));
                break;
        }
        w.WriteEndArray();
    }

    private static JsonElement? Tagged(JsonElement e, string tag) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(tag, out var v) && v.ValueKind == JsonValueKind.Array ? v : null;

    private static string ComplexText(JsonElement e) =>
        Tagged(e, "$complex") is { } parts && parts.GetArrayLength() == 2
            ? PythonRepr.Complex(PlainJson.Number(parts[0]), PlainJson.Number(parts[1]))
            : PythonRepr.Complex(PlainJson.Number(e), 0);
}
