using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crucible.Judge.Values;

namespace Crucible.Judge.Execution;

/// <summary>
/// Large returned values come back as digests. The harness sends a value whose JSON text is longer than
/// <see cref="DigestFromChars"/> as the SHA-256 of that text (<c>_digest_fields</c>), and the host decides from it:
/// the same digest as the expected value's is the same value (as <see cref="SameAsExpected"/> decides on equal text);
/// a str that differs from an expected str is a wrong answer. Only a large value that is neither (a list of numbers
/// written differently, a NaN, a special oracle) needs its text: that test and those after it run again with values
/// sent whole, in runs of at most 32 MiB of answers (<see cref="RunExpectedBytes"/>), as all runs went before.
/// Without digests, a run's output held every answer whole, so a split's tests went to runs of at most 32 MiB of
/// answers each, and a solution that keeps state across calls started afresh in each (HumanEval/15 and /130: a
/// solution failing only after a hundred calls passed here and failed in EvalPlus).
/// </summary>
internal sealed partial class SubmissionRun
{
    /// <summary>Returned values whose JSON text is longer than this come back as digests (the request's <c>digest_from</c>).</summary>
    internal const int DigestFromChars = 64 * 1024;

    /// <summary>What a digest record takes beyond the value's place: the digest, the length, a 200-character preview.</summary>
    private const int DigestRecordChars = 2048;

    /// <summary>The most a test's result record can take in a run: its expected answer's size, or a digest record's.</summary>
    private static long RecordSize(FunctionCallTest t, bool digests) =>
        digests ? Math.Min(ExpectedSize(t), DigestFromChars + DigestRecordChars) : ExpectedSize(t);

    /// <summary>
    /// The verdict of a result sent as a digest, or null when the digest cannot decide it (then the test runs again,
    /// its value sent whole).
    /// </summary>
    private TestResult? FromDigest(FunctionCallTest test, CallRecord fields, TestResult result)
    {
        var rec = fields.Record;
        var expected = ExpectedDigests.Of(test);
        if (expected is null) return null;
        var preview = rec.Str("p"u8) ?? "";
        var isStr = preview.StartsWith('"');
        var length = rec.Int("n"u8) ?? 0;
        var nan = rec.TryGetProperty("nan"u8, out _);
        // The fast path's rule (SameAsExpected): equal text is an equal value under a comparison, except a NaN.
        var comparison = test.EvalPlus is not { Oracle: not (EvalPlusOracle.Equality or EvalPlusOracle.AnyValue) };
        var same = fields.Digest == expected.Text || (isStr && expected.PythonStr is { } s && fields.Digest == s);
        if ((comparison && same && !nan) || test.EvalPlus is { Oracle: EvalPlusOracle.AnyValue })
        {
            if (!_options.PassedTestPreviews) return result with { Outcome = TestOutcome.Passed };
            return result with { Outcome = TestOutcome.Passed, ExpectedPreview = Preview(expected.Start), ActualPreview = Preview(preview) };
        }
        // Two strs are equal only as the same characters, under EvalPlus's == and under every ComparisonOptions
        // (tolerances apply to floats; a wrapped expected value is a list, not a str).
        var exact = test.EvalPlus is null or { Oracle: EvalPlusOracle.Equality };
        if (isStr && expected.PythonStr is not null && exact && !same)
            return result with
            {
                Outcome = TestOutcome.WrongAnswer,
                Message = $"wrong answer: {test.FunctionName} returned {Clip(preview)} ({length} characters of JSON), expected {Clip(expected.Start)}",
                ExpectedPreview = Preview(expected.Start),
                ActualPreview = Preview(preview),
            };
        return null;
    }

    /// <summary>
    /// An expected value's digests, made once per test object (the samples of a problem share its tests; samples
    /// judged at once wait for one making): of its JSON text as stored, and, for a str, of the text Python's json
    /// writes for it (ASCII, its own escapes), which is what the harness digests. The second is made only when a str
    /// differs from it in text: the reference driver writes strs as the harness does, a dataset may not (unescaped
    /// UTF-8, other escapes).
    /// </summary>
    private sealed class ExpectedDigests
    {
        private static readonly ConditionalWeakTable<FunctionCallTest, Lazy<ExpectedDigests?>> Made = new();
        private readonly FunctionCallTest _test;
        private readonly Lazy<string?> _pythonStr;

        private ExpectedDigests(FunctionCallTest test, string text, bool isStr, string start)
        {
            _test = test;
            Text = text;
            Start = start;
            _pythonStr = new Lazy<string?>(() => isStr ? PythonStrDigest(_test) : null);
        }

        /// <summary>The SHA-256 (hex) of the JSON text as stored.</summary>
        public string Text { get; }

        /// <summary>The first 200 bytes of the JSON text, for messages.</summary>
        public string Start { get; }

        /// <summary>For a str, the SHA-256 (hex) of Python's json text for it; null for any other value.</summary>
        public string? PythonStr => _pythonStr.Value;

        /// <summary>The digests of <paramref name="test"/>'s expected value; null when it cannot be read.</summary>
        public static ExpectedDigests? Of(FunctionCallTest test) =>
            Made.GetValue(test, t => new Lazy<ExpectedDigests?>(() => Make(t))).Value;

        private static ExpectedDigests? Make(FunctionCallTest test)
        {
            if (Load(test) is not { } bytes) return null;
            var text = bytes.AsSpan().TrimStart(" \t\r\n"u8);
            var start = Encoding.UTF8.GetString(bytes, 0, Math.Min(bytes.Length, 200));
            return new ExpectedDigests(test, Convert.ToHexStringLower(SHA256.HashData(bytes)), text.Length > 0 && text[0] == (byte)'"', start);
        }

        private static byte[]? Load(FunctionCallTest test)
        {
            try
            {
                return test.DeferredExpected?.LoadUtf8() ?? Encoding.UTF8.GetBytes(test.ExpectedJson);
            }
            catch (IOException)
            {
                return null;
            }
        }

        private static string? PythonStrDigest(FunctionCallTest test) =>
            Load(test) is { } bytes && PyJson.TryParse(Encoding.UTF8.GetString(bytes), out var value, out _) && value.Kind == PyKind.Str
                ? PythonJsonDigest(value.Text) : null;

        /// <summary>The SHA-256 of <c>json.encoder.encode_basestring_ascii(s)</c>: what the harness writes for a str.</summary>
        internal static string PythonJsonDigest(string s)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[64 * 1024];
            var n = 0;
            void Put(byte b)
            {
                if (n == buffer.Length)
                {
                    hash.AppendData(buffer, 0, n);
                    n = 0;
                }
                buffer[n++] = b;
            }
            Put((byte)'"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': Put((byte)'\\'); Put((byte)'"'); break;
                    case '\\': Put((byte)'\\'); Put((byte)'\\'); break;
                    case '\n': Put((byte)'\\'); Put((byte)'n'); break;
                    case '\r': Put((byte)'\\'); Put((byte)'r'); break;
                    case '\t': Put((byte)'\\'); Put((byte)'t'); break;
                    case '\b': Put((byte)'\\'); Put((byte)'b'); break;
                    case '\f': Put((byte)'\\'); Put((byte)'f'); break;
                    default:
                        if (c >= ' ' && c <= '~') Put((byte)c);
                        else
                        {
                            // Every other UTF-16 unit as \uxxxx, lower-case hex: astral characters as their surrogate pair.
                            Put((byte)'\\');
                            Put((byte)'u');
                            foreach (var shift in (ReadOnlySpan<int>)[12, 8, 4, 0]) Put((byte)"0123456789abcdef"[(c >> shift) & 0xF]);
                        }
                        break;
                }
            }
            Put((byte)'"');
            hash.AppendData(buffer, 0, n);
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
    }
}
