using System.Text;
using System.Text.Json;

namespace Crucible.Bench.Tests;

/// <summary>The oracle's cache entries: long answers stay in the file, read back byte for byte, even after the entry is replaced.</summary>
public sealed class OracleAnswersTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string WriteEntry(string name, params OracleAnswer?[] answers)
    {
        var path = _dir.File(name);
        using (var w = new StreamWriter(path)) OracleAnswers.Write(w, answers);
        return path;
    }

    [Fact]
    public void Long_answers_stay_in_the_file_short_ones_and_failures_are_read_whole()
    {
        var longJson = "[" + string.Join(",", Enumerable.Range(0, 20_000).Select(i => i * 1.5)) + "]"; // > 64 KB
        var path = WriteEntry("e.jsonl", new OracleAnswer("[1,2]", 0.25), new OracleAnswer(longJson, 1.5), new OracleAnswer(null, 0, "ValueError: no"));

        var read = OracleAnswers.ReadFile(path);

        Assert.Equal(3, read.Length);
        Assert.Equal(("[1,2]", 0.25, (object?)null), (read[0]!.Out, read[0]!.Seconds, (object?)read[0]!.Deferred));
        Assert.Null(read[1]!.Out);
        Assert.Equal(1.5, read[1]!.Seconds);
        Assert.Equal(Encoding.UTF8.GetByteCount(longJson), read[1]!.Deferred!.Utf8Length);
        Assert.Equal('[', read[1]!.Deferred!.First);
        Assert.Equal(longJson, read[1]!.Deferred!.Load());
        Assert.Equal(("ValueError: no", false), (read[2]!.Error, read[2]!.HasValue));
        // Written again from the deferred form, the entry is the same bytes.
        var copy = WriteEntry("copy.jsonl", read);
        Assert.Equal(File.ReadAllBytes(path), File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_deferred_answer_reads_its_own_bytes_after_another_process_replaces_the_entry()
    {
        var mine = "\"" + new string('x', 100_000) + "\"";
        var path = WriteEntry("e.jsonl", new OracleAnswer(mine, 1));
        var read = OracleAnswers.ReadFile(path);
        // A concurrent run stores the same key: a new file renamed over this one (the handle keeps the old file).
        var other = WriteEntry("other.jsonl", new OracleAnswer("\"short\"", 2), new OracleAnswer("\"" + new string('y', 200_000) + "\"", 3));
        File.Move(other, path, overwrite: true);

        Assert.Equal(mine, read[0]!.Deferred!.Load());
    }

    [Fact]
    public void An_entry_cut_short_or_not_in_the_oracles_format_is_damaged()
    {
        var path = WriteEntry("e.jsonl", new OracleAnswer("\"" + new string('x', 100_000) + "\"", 1));
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^10]); // the last line has lost its end
        Assert.Throws<JsonException>(() => OracleAnswers.ReadFile(path));

        File.WriteAllText(path, "{\"out\":\"" + new string('x', 100_000) + "\",\"t\":1}\n"); // long, but not as the writer writes
        Assert.Throws<JsonException>(() => OracleAnswers.ReadFile(path));
    }

    [Fact]
    public void The_drivers_answer_lines_are_read_without_a_document_and_anything_else_is_left_to_the_parser()
    {
        static (bool, int, OracleAnswer?) Read(string line)
        {
            var ok = OracleAnswers.TryReadDriverLine(Encoding.UTF8.GetBytes(line), out var i, out var a);
            return (ok, i, a);
        }

        var (ok, index, answer) = Read("{\"i\":12,\"ok\":true,\"out\":{\"$tuple\":[1,\",\\\"t\\\":\"]},\"t\":0.000012}");
        Assert.True(ok);
        Assert.Equal((12, "{\"$tuple\":[1,\",\\\"t\\\":\"]}", 0.000012), (index, answer!.Out, answer.Seconds));

        var longValue = "[" + string.Join(",", Enumerable.Range(0, 20_000)) + "]";
        (ok, index, answer) = Read("{\"i\":0,\"ok\":true,\"out\":" + longValue + ",\"t\":1.500000}");
        Assert.True(ok);
        Assert.Null(answer!.Out); // long: the bytes of the run's output, not a string
        Assert.Equal((longValue, 1.5), (answer.Deferred!.Load(), answer.Seconds));

        Assert.False(Read("{\"i\": 4, \"ok\": false, \"error\": \"ValueError: no\"}").Item1); // a failure: the parser's
        Assert.False(Read("{\"i\":3,\"ok\":true,\"out\":[1,2").Item1);                     // cut short
        Assert.False(Read("{\"i\":3,\"ok\":true,\"out\":[1,2,\"t\":0.1}").Item1);          // cut inside the value
        Assert.False(Read("{\"i\":3,\"ok\":true,\"out\":[1]]],\"t\":0.1}").Item1);         // more than one value
        Assert.False(Read("{\"i\":3,\"ok\":true,\"out\":[1]}").Item1);                      // no time
        Assert.False(Read("{\"i\":-3,\"ok\":true,\"out\":[1],\"t\":0.1}").Item1);
    }

    [Fact]
    public void Short_answers_read_back_from_a_file_are_the_values_and_times_written()
    {
        // Times as Write formats them ("R": exponents too), values with the entry's own separators inside strings.
        OracleAnswer?[] written =
        [
            new OracleAnswer("\",\\\"out\\\":}\"", 1.2e-05), new OracleAnswer("{\"$float\":\"nan\"}", 0), new OracleAnswer(null, 0, "E: x"),
            new OracleAnswer("[1, 2]", 123.25),
        ];
        var read = OracleAnswers.ReadFile(WriteEntry("e.jsonl", written));

        Assert.Equal(written, read);
    }
}
