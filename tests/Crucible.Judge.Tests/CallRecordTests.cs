using System.Text.Json;
using Crucible.Judge.Execution;

namespace Crucible.Judge.Tests;

/// <summary>A result record read in one pass gives what the field-by-field lookups gave.</summary>
public sealed class CallRecordTests
{
    private static CallRecord Read(string json) => CallRecord.Read(JsonDocument.Parse(json).RootElement);

    [Fact]
    public void An_ok_record_gives_its_status_times_and_value()
    {
        var r = Read("{\"t\":\"r\",\"i\":3,\"s\":\"ok\",\"cpu\":0.000012,\"wall\":0.5,\"v\":[1,2]}");
        Assert.Equal((true, false, false, 0.000012, 0.5), (r.Ok, r.Refused, r.Converted, r.Cpu, r.Wall));
        Assert.Equal("[1,2]", r.Value.GetRawText());

        // A short call the harness timed by the wall clock alone sends one time: it is both.
        var one = Read("{\"t\":\"r\",\"i\":4,\"s\":\"ok\",\"cpu\":0.000021,\"v\":7}");
        Assert.Equal((0.000021, 0.000021), (one.Cpu, one.Wall));
    }

    [Fact]
    public void Refused_converted_and_unreadable_fields_read_as_the_lookups_read_them()
    {
        var converted = Read("{\"t\":\"r\",\"i\":0,\"s\":\"ok\",\"cpu\":-1,\"wall\":\"1\",\"v\":1,\"x\":1}");
        Assert.Equal((true, true, 0.0, 0.0), (converted.Ok, converted.Converted, converted.Cpu, converted.Wall));

        var refused = Read("{\"t\":\"r\",\"i\":0,\"s\":\"bad\",\"m\":\"a Foo\"}");
        Assert.Equal((false, true, false), (refused.Ok, refused.Refused, refused.HasValue));

        // A name given twice: the last one counts, as JsonElement.TryGetProperty finds it.
        var twice = Read("{\"s\":\"ok\",\"s\":\"exc\",\"cpu\":1,\"cpu\":2}");
        Assert.Equal(twice.Record.GetProperty("s").GetString() == "ok", twice.Ok);
        Assert.Equal(twice.Record.GetProperty("cpu").GetDouble(), twice.Cpu);

        Assert.False(Read("[1]").Ok);
    }

    [Fact]
    public void A_runs_results_are_indexed_by_test_and_a_test_with_two_different_results_gets_one_that_fails_it()
    {
        const string ok = "{\"t\":\"r\",\"i\":0,\"s\":\"ok\",\"cpu\":0.1,\"wall\":0.1,\"v\":1}";
        var records = new[]
        {
            "{\"t\":\"load\",\"s\":\"ok\"}", "{\"t\":\"s\",\"i\":0}", ok, ok, // the same record twice: kept
            "{\"t\":\"r\",\"i\":1,\"s\":\"ok\",\"cpu\":0.1,\"wall\":0.1,\"v\":2}",
            "{\"t\":\"r\",\"i\":1,\"s\":\"ok\",\"cpu\":0.1,\"wall\":0.1,\"v\":3}", // forged on the channel
            "{\"t\":\"g\",\"i\":0,\"cpu\":0.3}", "{\"t\":\"r\",\"i\":\"2\",\"s\":\"ok\"}",
        }.Select(j => JsonDocument.Parse(j).RootElement).ToList();

        var byTest = CallRecord.ByTest(records);

        Assert.Equal([0, 1], byTest.Keys.Order());
        Assert.True(byTest[0].Ok);
        Assert.Equal(0, byTest[0].Index);
        Assert.False(byTest[1].Ok);
        Assert.Equal("forged", byTest[1].Record.GetProperty("s").GetString());
    }
}
