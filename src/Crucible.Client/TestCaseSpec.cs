using System.Text.Json;
using System.Text.Json.Serialization;
using Crucible.Judge;

namespace Crucible.Client;

/// <summary>
/// Wire form of one <see cref="TestCase"/>, tagged by <c>kind</c>:
/// <c>stdio</c> (input, output), <c>function_call</c> (function, arguments as a JSON array, expected as JSON,
/// optional class_name), <c>assertion</c> (script, optional entry_point and setup), <c>checker</c> (input, output,
/// checker_source, checker_language).
/// </summary>
public sealed record TestCaseSpec
{
    [JsonPropertyName("kind")] public string? Kind { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("public")] public bool IsPublic { get; init; }
    [JsonPropertyName("input")] public string? Input { get; init; }
    [JsonPropertyName("output")] public string? Output { get; init; }
    [JsonPropertyName("function")] public string? Function { get; init; }
    [JsonPropertyName("class_name")] public string? ClassName { get; init; }
    [JsonPropertyName("arguments")] public JsonElement? Arguments { get; init; }
    [JsonPropertyName("expected")] public JsonElement? Expected { get; init; }

    /// <summary>APPS/TACO-style expected value wrapped in a list (the returned value may equal the list or its first element).</summary>
    [JsonPropertyName("expected_is_wrapped")] public bool ExpectedIsWrapped { get; init; }
    [JsonPropertyName("script")] public string? Script { get; init; }
    [JsonPropertyName("entry_point")] public string? EntryPoint { get; init; }
    [JsonPropertyName("setup")] public string? Setup { get; init; }
    [JsonPropertyName("checker_source")] public string? CheckerSource { get; init; }
    [JsonPropertyName("checker_language")] public string? CheckerLanguage { get; init; }

    /// <summary>CPU seconds for this test alone; overrides the problem's limit.</summary>
    [JsonPropertyName("cpu_time_limit_s")] public double? CpuTimeLimitSeconds { get; init; }

    public static TestCaseSpec From(TestCase test) => FromKind(test) with { CpuTimeLimitSeconds = test.CpuTimeLimit?.TotalSeconds };

    private static TestCaseSpec FromKind(TestCase test) => test switch
    {
        StdioTest s => new() { Kind = "stdio", Name = s.Name, IsPublic = s.IsPublic, Input = s.Input, Output = s.ExpectedOutput },
        FunctionCallTest f => new()
        {
            Kind = "function_call", Name = f.Name, IsPublic = f.IsPublic, Function = f.FunctionName, ClassName = f.ClassName,
            Arguments = ParseJson(f.ArgumentsJson), Expected = ParseJson(f.ExpectedJson), ExpectedIsWrapped = f.ExpectedIsWrapped,
        },
        AssertionTest a => new() { Kind = "assertion", Name = a.Name, IsPublic = a.IsPublic, Script = a.Script, EntryPoint = a.EntryPoint, Setup = a.Setup },
        CheckerTest c => new()
        {
            Kind = "checker", Name = c.Name, IsPublic = c.IsPublic, Input = c.Input, Output = c.ExpectedOutput,
            CheckerSource = c.CheckerSource, CheckerLanguage = c.CheckerLanguage,
        },
        _ => throw new ArgumentException($"test kind {test.GetType().Name} has no wire form yet", nameof(test)),
    };

    /// <summary>Converts to the judge's test; throws <see cref="InvalidFieldException"/> naming the missing field.</summary>
    public TestCase ToTestCase(string path)
    {
        TestCase test = Kind?.Trim().ToLowerInvariant() switch
        {
            "stdio" => new StdioTest(Input ?? "", Output ?? throw Missing(path, "stdio", "output", "the expected stdout")),
            "function_call" => new FunctionCallTest(
                Function is { Length: > 0 } fn ? fn : throw Missing(path, "function_call", "function", "the name of the function to call"),
                Arguments is { ValueKind: JsonValueKind.Array } args ? args.GetRawText()
                    : throw new InvalidFieldException(path + ".arguments", "arguments must be a JSON array of the positional arguments, e.g. [1, \"a\"]."),
                Expected is { } e ? e.GetRawText() : throw Missing(path, "function_call", "expected", "the expected return value as JSON"))
            { ClassName = ClassName, ExpectedIsWrapped = ExpectedIsWrapped },
            "assertion" => new AssertionTest(Script is { Length: > 0 } s ? s : throw Missing(path, "assertion", "script", "the assertion code"))
            { EntryPoint = EntryPoint, Setup = Setup },
            "checker" => new CheckerTest(Input ?? "", Output ?? "",
                CheckerSource is { Length: > 0 } cs ? cs : throw Missing(path, "checker", "checker_source", "the checker program"),
                CheckerLanguage is { Length: > 0 } cl ? cl : throw Missing(path, "checker", "checker_language", "the checker's language, e.g. cpp")),
            null or "" => throw new InvalidFieldException(path + ".kind", "kind is required: stdio, function_call, assertion or checker."),
            _ => throw new InvalidFieldException(path + ".kind", $"unknown test kind '{Kind}'; use stdio, function_call, assertion or checker."),
        };
        return test with { Name = Name, IsPublic = IsPublic, CpuTimeLimit = WireLimits.Seconds(CpuTimeLimitSeconds, path + ".cpu_time_limit_s") };
    }

    private static InvalidFieldException Missing(string path, string kind, string field, string what) =>
        new(path + "." + field, $"{field} is required for a {kind} test: {what}.");

    private static JsonElement ParseJson(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }
}
