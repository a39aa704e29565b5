namespace Crucible.Judge.Tests;

/// <summary>Every ground-truth shape RL pipelines and benchmark files send, and the errors for malformed ones.</summary>
public sealed class GroundTruthTests
{
    [Fact]
    public void AppsStdinShape()
    {
        var tests = GroundTruth.Parse("""{"inputs": ["1 2\n", "3 4\n"], "outputs": ["3\n", ["7"]]}""");
        Assert.Equal(2, tests.Count);
        var t0 = Assert.IsType<StdioTest>(tests[0]);
        Assert.Equal("1 2\n", t0.Input);
        Assert.Equal("3\n", t0.ExpectedOutput);
        Assert.Equal("7", Assert.IsType<StdioTest>(tests[1]).ExpectedOutput); // list of lines joined
    }

    [Fact]
    public void AppsFunctionShapeWithArgumentListsAndWrappedOutputs()
    {
        var tests = GroundTruth.Parse("""{"fn_name": "solve", "inputs": [[1, [2, 3]], ["a"]], "outputs": [[6], ["A"]]}""");
        var t = Assert.IsType<FunctionCallTest>(tests[0]);
        Assert.Equal("solve", t.FunctionName);
        Assert.Equal("[1,[2,3]]", t.ArgumentsJson);
        Assert.Equal("[6]", t.ExpectedJson);
        Assert.True(t.ExpectedIsWrapped);
    }

    [Fact]
    public void PrimeCodeFunctionShapeWithNewlineSeparatedJsonStrings()
    {
        // verl prime_code: each input is newline-separated JSON values, each output JSON text.
        var tests = GroundTruth.Parse("""{"fn_name": "f", "inputs": ["[1, 2]\n3"], "outputs": ["[4, 5]"]}""");
        var t = Assert.IsType<FunctionCallTest>(Assert.Single(tests));
        Assert.Equal("[[1,2],3]", t.ArgumentsJson);
        Assert.Equal("[4,5]", t.ExpectedJson);
    }

    [Fact]
    public void InputOutputWrapperAndDoubleEncodedJson()
    {
        var inner = """{"inputs": ["x"], "outputs": ["y"], "fn_name": null}""";
        var wrapped = "{\"input_output\": " + System.Text.Json.JsonSerializer.Serialize(inner) + "}";
        Assert.IsType<StdioTest>(Assert.Single(GroundTruth.Parse(wrapped)));
        Assert.IsType<StdioTest>(Assert.Single(GroundTruth.Parse(System.Text.Json.JsonSerializer.Serialize(inner))));
    }

    [Fact]
    public void LiveCodeBenchListWithStdinAndFunctionalTests()
    {
        var json = """
            [{"input": "[2, 7, 11]\n9", "output": "[0, 1]", "testtype": "functional", "metadata": {"func_name": "twoSum"}},
             {"input": "3\n", "output": "6\n", "testtype": "stdin"}]
            """;
        var tests = GroundTruth.Parse(json);
        var f = Assert.IsType<FunctionCallTest>(tests[0]);
        Assert.Equal("twoSum", f.FunctionName);
        Assert.Equal("[[2,7,11],9]", f.ArgumentsJson);
        Assert.Equal("[0,1]", f.ExpectedJson);
        Assert.False(f.ExpectedIsWrapped);
        Assert.IsType<StdioTest>(tests[1]);
    }

    [Fact]
    public void FunctionalTestTakesTheEntryPointWhenTheDataHasNoName()
    {
        var t = Assert.IsType<FunctionCallTest>(Assert.Single(GroundTruth.Parse("""[{"input": "1", "output": "2", "testtype": "functional"}]""", "inc")));
        Assert.Equal("inc", t.FunctionName);
        var e = Assert.Throws<FormatException>(() => GroundTruth.Parse("""[{"input": "1", "output": "2", "testtype": "functional"}]"""));
        Assert.Contains("func_name", e.Message);
    }

    [Fact]
    public void CodeforcesListWithoutTestType()
    {
        var tests = GroundTruth.Parse("""[{"input": "1\n", "output": "1\n"}, {"input": "2\n", "output": "4\n"}]""");
        Assert.All(tests, t => Assert.IsType<StdioTest>(t));
    }

    [Fact]
    public void AssertionShapes()
    {
        var plain = Assert.IsType<AssertionTest>(Assert.Single(GroundTruth.Parse("def check(candidate):\n    assert candidate(1) == 2\n", "inc")));
        Assert.Equal("inc", plain.EntryPoint);
        var he = Assert.IsType<AssertionTest>(Assert.Single(GroundTruth.Parse("""{"test": "def check(c): assert c() == 1", "entry_point": "one"}""")));
        Assert.Equal("one", he.EntryPoint);
        Assert.IsType<AssertionTest>(Assert.Single(GroundTruth.Parse("""{"functional": "assert Solution().f(1) == 2"}""")));
        Assert.IsType<AssertionTest>(Assert.Single(GroundTruth.Parse("\"assert f(1) == 2\"")));
        var mbpp = GroundTruth.Parse("""{"test_list": ["assert f(1) == 2", "assert f(2) == 3"], "test_setup_code": "import math"}""");
        Assert.Equal(2, mbpp.Count);
        Assert.Equal("import math", Assert.IsType<AssertionTest>(mbpp[1]).Setup);
        Assert.Equal(2, GroundTruth.Parse("""["assert f(1) == 2", "assert f(2) == 3"]""").Count);
    }

    [Theory]
    [InlineData("stdin_stdout")]      // rllm's DeepCoder data preparation
    [InlineData("stdin")]             // LiveCodeBench
    [InlineData("standard_input")]
    [InlineData("STDIN")]
    [InlineData("io")]
    public void EveryTestTypeThatIsNotCallBasedIsStdin(string type)
    {
        // DeepCoder's preparation also writes metadata.func_name = null on stdin tests.
        var json = $$$"""[{"input": "1 2\n", "output": "3\n", "testtype": "{{{type}}}", "metadata": {"func_name": null}}]""";
        var t = Assert.IsType<StdioTest>(Assert.Single(GroundTruth.Parse(json)));
        Assert.Equal("1 2\n", t.Input);
    }

    [Theory]
    [InlineData("functional")]
    [InlineData("call-based")]
    [InlineData("Function_Call")]
    public void CallBasedTestTypesAreFunctionCalls(string type)
    {
        var json = $$$"""[{"input": "[1]", "output": "2", "testtype": "{{{type}}}", "metadata": {"func_name": "inc"}}]""";
        Assert.Equal("inc", Assert.IsType<FunctionCallTest>(Assert.Single(GroundTruth.Parse(json))).FunctionName);
    }

    [Theory]
    [InlineData("""{"inputs": ["1"], "outputs": []}""", "pair up")]
    [InlineData("""{"inputs": "1", "outputs": "2"}""", "must both be lists")]
    [InlineData("""{"cases": []}""", "none of which is a known test spec")]
    [InlineData("""{'inputs': ['1']}""", "json.dumps")]
    [InlineData("""[{"input": "1"}]""", "'input' and 'output'")]
    [InlineData("""{"fn_name": "f", "inputs": ["not json"], "outputs": ["1"]}""", "one JSON value per line")]
    [InlineData("""{"inputs": [], "outputs": []}""", "no tests")]
    [InlineData("   ", "empty")]
    public void MalformedGroundTruthNamesTheProblem(string json, string fragment)
    {
        var e = Assert.Throws<FormatException>(() => GroundTruth.Parse(json));
        Assert.Contains(fragment, e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void HarnessProgramNamesTheModulesTheSolutionImports()
    {
        var modules = Execution.PythonHarness.ImportedModules("import numpy as np, os.path\nfrom fractions import Fraction\n  import heapq\nx = 'import nothing'\n").ToList();
        Assert.Equal(["numpy", "os", "fractions", "heapq"], modules);
        var program = Execution.PythonHarness.BuildProgram("import numpy\n", ["from decimal import Decimal"]);
        Assert.Contains("# modules imported by the solution and its tests: decimal numpy", program);
        Assert.DoesNotContain("numpy", program.Replace("# modules imported by the solution and its tests: decimal numpy", "", StringComparison.Ordinal));
    }
}
