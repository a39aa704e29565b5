using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crucible.Judge;

namespace Crucible.Bench;

/// <summary>
/// Content keys of results: SHA-256 over the problem's judged content (tests, comparison, limits, entry point,
/// prompt — not its statement), the submission's language and code, and the judge fingerprint (limits, toolchain
/// versions). Equal keys mean the verdict would be the same, so a stored result is reused instead of recomputed.
/// </summary>
public static class ResultKey
{
    /// <summary>Bump when the meaning of stored results changes, so old stores are not misread.</summary>
    public const string SchemaVersion = "crucible-result-v1";

    public static string Compute(Submission submission, string judgeFingerprint) =>
        Compute(ProblemHash(submission.Problem), submission.Language, submission.Code, judgeFingerprint);

    public static string Compute(string problemHash, string language, string code, string judgeFingerprint)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(h, SchemaVersion);
        Append(h, problemHash);
        Append(h, language);
        Append(h, code);
        Append(h, judgeFingerprint);
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    /// <summary>Hash of everything about a problem that affects judging.</summary>
    public static string ProblemHash(Problem problem)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(h, problem.Id);
        Append(h, problem.Language);
        Append(h, problem.Prompt ?? "\u0001");
        Append(h, problem.EntryPoint ?? "\u0001");
        Append(h, JsonSerializer.Serialize(problem.Limits));
        Append(h, JsonSerializer.Serialize(problem.Comparison));
        // Each test's JSON written as UTF-8 into one reused buffer (the same bytes as serializing it to a string and
        // encoding that), by the generated serializer for the judge's own test kinds.
        var buffer = new ArrayBufferWriter<byte>(1024);
        using var writer = new Utf8JsonWriter(buffer);
        foreach (var t in problem.Tests)
        {
            var type = t.GetType();
            Append(h, type.Name);
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            if (TestCaseJson.Default.GetTypeInfo(type) is { } info) JsonSerializer.Serialize(writer, t, info);
            else JsonSerializer.Serialize(writer, t, type);
            writer.Flush();
            Append(h, buffer.WrittenSpan);
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    private static void Append(IncrementalHash h, string s) => Append(h, Encoding.UTF8.GetBytes(s));

    private static void Append(IncrementalHash h, ReadOnlySpan<byte> bytes)
    {
        Span<byte> len = stackalloc byte[8];
        BitConverter.TryWriteBytes(len, (long)bytes.Length);
        h.AppendData(len);
        h.AppendData(bytes);
    }
}
