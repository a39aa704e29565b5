using System.Text.Json.Serialization;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Serialization of the judge's test kinds generated at build time, for <see cref="ResultKey.ProblemHash"/>: the same
/// JSON the reflection serializer writes (a test asserts it), at a fraction of the cost per test (HumanEval+ has
/// ~120,000 tests, all hashed before the first sample is judged).
/// </summary>
[JsonSerializable(typeof(FunctionCallTest))]
[JsonSerializable(typeof(StdioTest))]
[JsonSerializable(typeof(CheckerTest))]
[JsonSerializable(typeof(AssertionTest))]
internal sealed partial class TestCaseJson : JsonSerializerContext;
