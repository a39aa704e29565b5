using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Crucible.Bench;

/// <summary>
/// MBPP+ stores arguments as JSON, which has no tuples, sets or complex numbers; EvalPlus rebuilds the Python types a
/// task expects when it loads the file (<c>evalplus/data/mbpp.py</c>, <c>mbpp_deserialize_inputs</c>), keyed by task
/// number. A solution that indexes a tuple argument works either way, but one that hashes it, compares it with a
/// tuple or returns it unchanged does not — so the same rebuilding is done here, producing the judge's typed JSON
/// (<c>{"$tuple": …}</c>, <c>{"$set": …}</c>, <c>{"$complex": …}</c>). Tasks not listed keep their arguments.
/// </summary>
internal static class MbppPlusInputs
{
    private enum Rule
    {
        EachArgumentTuple,          // every argument becomes a tuple
        EachArgumentListOfTuples,   // every argument is a list whose items become tuples
        FirstListOfTuplesThenSecond,// (list of tuples, second argument); later arguments are dropped, as EvalPlus does
        SecondTuple,                // (first argument, tuple)
        ListOfSets,                 // one argument: a list whose items become sets (an empty or non-list item becomes {})
        FloatAndComplex,            // (float(a), complex(b))
        FirstTupleThenSecond,       // (tuple, second argument)
        EachArgumentTupleOfTuples,  // every argument becomes a tuple of tuples
        OneTupleOfTuplesOrItems,    // one argument: a tuple whose list items become tuples
        FirstTupleThenTwo,          // (tuple, second, third)
        DictOfTuplesThenRest,       // ({key: tuple}, rest...)
        OneComplex,                 // (complex(a),)
        AllListsTuples,             // every list at any depth becomes a tuple
    }

    // Task numbers per rule, as MBPP+ v0.2.0's loader treats them.
    private static readonly Dictionary<int, Rule> Rules = Build(
        (Rule.EachArgumentTuple, [2, 116, 132, 143, 222, 261, 273, 394, 399, 421, 424, 429, 470, 560, 579, 596, 616, 630, 726, 740, 744, 809]),
        (Rule.EachArgumentListOfTuples, [63, 64, 70, 94, 120, 237, 272, 299, 400, 409, 417, 438, 473, 614, 780]),
        (Rule.FirstListOfTuplesThenSecond, [75, 413, 444, 753]),
        (Rule.SecondTuple, [106, 750]),
        (Rule.ListOfSets, [115]),
        (Rule.FloatAndComplex, [124]),
        (Rule.FirstTupleThenSecond, [250, 405, 446, 617, 720, 763, 808]),
        (Rule.EachArgumentTupleOfTuples, [259, 401, 445]),
        (Rule.OneTupleOfTuplesOrItems, [278]),
        (Rule.FirstTupleThenTwo, [307]),
        (Rule.DictOfTuplesThenRest, [722]),
        (Rule.OneComplex, [252]),
        (Rule.AllListsTuples, [580, 615, 791]));

    private static Dictionary<int, Rule> Build(params (Rule Rule, int[] Tasks)[] table) =>
        table.SelectMany(t => t.Tasks.Select(n => (n, t.Rule))).ToDictionary(x => x.n, x => x.Rule);

    /// <summary>The task number of <c>Mbpp/N</c>, or null for other ids.</summary>
    public static int? TaskNumber(string taskId) =>
        taskId.StartsWith("Mbpp/", StringComparison.OrdinalIgnoreCase) && int.TryParse(taskId.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>Whether the task's arguments are rebuilt at all.</summary>
    public static bool Rebuilds(int task) => Rules.ContainsKey(task);

    /// <summary>The argument list of one input in typed JSON; throws <see cref="FormatException"/> where EvalPlus's loader would fail.</summary>
    public static string Rebuild(int task, JsonElement args)
    {
        if (!Rules.TryGetValue(task, out var rule)) return args.GetRawText();
        var a = args.EnumerateArray().ToList();
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            switch (rule)
            {
                case Rule.EachArgumentTuple:
                    foreach (var x in a) Tuple(w, x, item => Copy(w, item));
                    break;
                case Rule.EachArgumentListOfTuples:
                    foreach (var x in a) List(w, x, item => Tuple(w, item, y => Copy(w, y)));
                    break;
                case Rule.FirstListOfTuplesThenSecond:
                    List(w, At(a, 0), item => Tuple(w, item, y => Copy(w, y)));
                    Copy(w, At(a, 1));
                    break;
                case Rule.SecondTuple:
                    Copy(w, At(a, 0));
                    Tuple(w, At(a, 1), y => Copy(w, y));
                    break;
                case Rule.ListOfSets:
                    List(w, At(a, 0), item =>
                    {
                        if (item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0) Tagged(w, "$set", item, y => Copy(w, y));
                        else
                        {
                            w.WriteStartObject(); // EvalPlus writes {} (an empty dict) for an empty item
                            w.WriteEndObject();
                        }
                    });
                    break;
                case Rule.FloatAndComplex:
                    WriteFloat(w, ToDouble(At(a, 0)));
                    Complex(w, At(a, 1));
                    break;
                case Rule.FirstTupleThenSecond:
                    Tuple(w, At(a, 0), y => Copy(w, y));
                    Copy(w, At(a, 1));
                    break;
                case Rule.EachArgumentTupleOfTuples:
                    foreach (var x in a) Tuple(w, x, item => Tuple(w, item, y => Copy(w, y)));
                    break;
                case Rule.OneTupleOfTuplesOrItems:
                    Tuple(w, At(a, 0), item =>
                    {
                        if (item.ValueKind == JsonValueKind.Array) Tuple(w, item, y => Copy(w, y));
                        else Copy(w, item);
                    });
                    break;
                case Rule.FirstTupleThenTwo:
                    Tuple(w, At(a, 0), y => Copy(w, y));
                    Copy(w, At(a, 1));
                    Copy(w, At(a, 2));
                    break;
                case Rule.DictOfTuplesThenRest:
                    var d = At(a, 0);
                    if (d.ValueKind != JsonValueKind.Object) throw new FormatException("the first argument must be an object");
                    w.WriteStartObject();
                    foreach (var p in d.EnumerateObject())
                    {
                        w.WritePropertyName(p.Name);
                        Tuple(w, p.Value, y => Copy(w, y));
                    }
                    w.WriteEndObject();
                    foreach (var x in a.Skip(1)) Copy(w, x);
                    break;
                case Rule.OneComplex:
                    Complex(w, At(a, 0));
                    break;
                case Rule.AllListsTuples:
                    foreach (var x in a) DeepTuples(w, x);
                    break;
            }
            w.WriteEndArray();
        }
        // The outer list of AllListsTuples is itself a tuple in EvalPlus; fn(*args) cannot tell, so it stays a list.
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement At(List<JsonElement> a, int i) =>
        i < a.Count ? a[i] : throw new FormatException($"expected at least {i + 1} argument(s), found {a.Count}");

    private static void Copy(Utf8JsonWriter w, JsonElement e) => w.WriteRawValue(e.GetRawText(), skipInputValidation: true);

    private static void List(Utf8JsonWriter w, JsonElement e, Action<JsonElement> item)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new FormatException($"expected a list, found {e.ValueKind}");
        w.WriteStartArray();
        foreach (var x in e.EnumerateArray()) item(x);
        w.WriteEndArray();
    }

    /// <summary>Python's <c>tuple(x)</c>: items of a list, characters of a string, keys of a dict.</summary>
    private static void Tuple(Utf8JsonWriter w, JsonElement e, Action<JsonElement> item) => Tagged(w, "$tuple", e, item);

    private static void Tagged(Utf8JsonWriter w, string tag, JsonElement e, Action<JsonElement> item)
    {
        w.WriteStartObject();
        w.WritePropertyName(tag);
        w.WriteStartArray();
        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                foreach (var x in e.EnumerateArray()) item(x);
                break;
            case JsonValueKind.String:
                foreach (var r in e.GetString()!.EnumerateRunes()) w.WriteStringValue(r.ToString());
                break;
            case JsonValueKind.Object when !IsTyped(e):
                foreach (var p in e.EnumerateObject()) w.WriteStringValue(p.Name);
                break;
            default:
                throw new FormatException($"{e.ValueKind} is not iterable");
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static bool IsTyped(JsonElement e) => e.EnumerateObject().Take(2).Count() == 1 && e.EnumerateObject().First().Name.StartsWith('$');

    private static void DeepTuples(Utf8JsonWriter w, JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Array) Tuple(w, e, x => DeepTuples(w, x));
        else Copy(w, e);
    }

    private static double ToDouble(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.String when PythonNumbers.TryParseFloat(e.GetString()!, out var d) => d,
        _ => throw new FormatException($"float() of {e.ValueKind} {e.GetRawText()}"),
    };

    private static void Complex(Utf8JsonWriter w, JsonElement e)
    {
        (double Re, double Im) c = e.ValueKind switch
        {
            JsonValueKind.Number => (e.GetDouble(), 0),
            JsonValueKind.String when PythonNumbers.TryParseComplex(e.GetString()!, out var z) => z,
            _ => throw new FormatException($"complex() of {e.ValueKind} {e.GetRawText()}"),
        };
        w.WriteStartObject();
        w.WriteStartArray("$complex");
        WriteFloat(w, c.Re);
        WriteFloat(w, c.Im);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFloat(Utf8JsonWriter w, double d)
    {
        if (double.IsFinite(d)) w.WriteRawValue(PythonNumbers.FloatLiteral(d), skipInputValidation: true);
        else w.WriteRawValue(double.IsNaN(d) ? "{\"$float\":\"nan\"}" : d > 0 ? "{\"$float\":\"inf\"}" : "{\"$float\":\"-inf\"}", skipInputValidation: true);
    }
}
