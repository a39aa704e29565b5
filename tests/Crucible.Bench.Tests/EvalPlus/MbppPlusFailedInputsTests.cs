using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Crucible.Bench.Tests.EvalPlus;

/// <summary>
/// EvalPlus's re-serialized MBPP+ failing inputs (mbpp_serialize_inputs), checked against what CPython itself prints
/// for the same values: repr of floats and complex numbers, and list(set(…)) order.
/// </summary>
public sealed class MbppPlusFailedInputsTests
{
    private static readonly double[] Floats =
    [
        0.0, -0.0, 1.0, -1.5, 0.1, 1e-4, 1e-5, 1.25e-7, 123.456, 1e15, 1e16, 1.5e16, 123456789012345678.0, 2.5e-300,
        double.MaxValue, double.Epsilon, 1.0 / 3, -2.0 / 3, 100.0, 9007199254740993.0, double.PositiveInfinity,
        double.NegativeInfinity, double.NaN,
    ];

    [Fact]
    public void Floats_and_complex_numbers_read_as_Pythons_repr_and_str_write_them()
    {
        var script = new StringBuilder("import struct\n");
        var expected = new List<string>();
        foreach (var d in Floats)
        {
            var bits = BitConverter.DoubleToInt64Bits(d).ToString(CultureInfo.InvariantCulture);
            script.Append(CultureInfo.InvariantCulture, $"x = struct.unpack('<d', struct.pack('<q', {bits}))[0]\n");
            script.Append("print(repr(x)); print(str(complex(0.0, x))); print(str(complex(x, -2.5))); print(str(complex(-0.0, x)))\n");
            expected.Add(PythonRepr.Float(d));
            expected.Add(PythonRepr.Complex(0.0, d));
            expected.Add(PythonRepr.Complex(d, -2.5));
            expected.Add(PythonRepr.Complex(-0.0, d));
        }
        Assert.Equal(Python(script.ToString()), expected);
    }

    [Fact]
    public void List_of_a_set_of_numbers_has_CPythons_order()
    {
        var rng = new Random(115);
        var cases = new List<string>
        {
            "[3, 1, 2]", "[8, 0, 16, 24]", "[-1, -2, 5, 1, 1.0, true, false, 0]", "[2.5, 0.1, -7.25, 3, 1e20, 1e-7]",
            "[2305843009213693951, 2305843009213693952, -2305843009213693953, 123456789012345678901234567890]",
            "[" + string.Join(", ", Enumerable.Range(0, 200).Select(i => (i * 37 % 101 - 50).ToString(CultureInfo.InvariantCulture))) + "]",
        };
        for (var n = 0; n < 40; n++)
            cases.Add("[" + string.Join(", ", Enumerable.Range(0, rng.Next(1, 60)).Select(_ => rng.Next(4) switch
            {
                0 => rng.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
                1 => rng.NextInt64(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
                2 => (rng.Next(-100000, 100000) / 64.0).ToString("R", CultureInfo.InvariantCulture),
                _ => rng.Next(0, 40).ToString(CultureInfo.InvariantCulture),
            })) + "]");
        var script = new StringBuilder("import json\n");
        foreach (var c in cases) script.Append("print(json.dumps(list(set(json.loads('").Append(c).Append("')))))\n");
        var actual = cases.Select(c =>
        {
            using var doc = JsonDocument.Parse(c);
            return "[" + string.Join(", ", PythonSetOrder.ListOfSet(doc.RootElement.EnumerateArray().ToList()).Select(Normalized)) + "]";
        }).ToList();
        var truth = Python(script.ToString()).Select(line =>
        {
            using var doc = JsonDocument.Parse(line);
            return "[" + string.Join(", ", doc.RootElement.EnumerateArray().Select(Normalized)) + "]";
        }).ToList();
        Assert.Equal(truth, actual);
    }

    [Fact]
    public void The_three_reserialized_tasks_are_written_as_EvalPlus_writes_them_and_other_tasks_as_given()
    {
        Assert.Equal("[[[1,2,3],[],[]]]", Written("Mbpp/115", """[[{"$set":[3,1,2,1]},{},{}]]"""));
        Assert.Equal("""["0.0","1j"]""", Written("Mbpp/124", """[0.0,{"$complex":[0,1]}]"""));
        Assert.Equal("""["2.5","(1-2j)"]""", Written("Mbpp/124", """[2.5,{"$complex":[1,-2]}]"""));
        Assert.Equal("""["(1+2j)"]""", Written("Mbpp/252", """[{"$complex":[1,2]}]"""));
        Assert.Equal("""["(4+0j)"]""", Written("Mbpp/252", """[{"$complex":[4,0]}]"""));
        Assert.Equal("""["-1.5j"]""", Written("Mbpp/252", """[{"$complex":[0,-1.5]}]"""));
        Assert.Equal("[[1,2],[3,4]]", Written("Mbpp/2", """[{"$tuple":[1,2]},{"$tuple":[3,4]}]"""));
        Assert.Equal("[[3,1,2]]", Written("HumanEval/1", "[[3,1,2]]"));
    }

    private static string Written(string taskId, string typedArguments)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping })) MbppPlusFailedInputs.Write(w, taskId, typedArguments);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    // A float as Python's json.dumps writes it (1e20 -> 1e+20); integers and booleans as they are.
    private static string Normalized(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0 ? PythonRepr.Float(e.GetDouble()) : e.GetRawText();

    private static List<string> Python(string script)
    {
        var start = new ProcessStartInfo("/usr/bin/python3", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["PYTHONHASHSEED"] = "0";
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, error);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
