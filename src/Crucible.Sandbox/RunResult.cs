using System.Text;

namespace Crucible.Sandbox;

/// <summary>What happened in one run, measured from outside the program.</summary>
public sealed record RunResult
{
    public required Verdict Verdict { get; init; }

    /// <summary>Which clock ran out, when <see cref="Verdict"/> is TimeLimitExceeded.</summary>
    public TimeLimitKind TimeLimit { get; init; }

    /// <summary>Exit code of the program when it exited normally.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Signal that killed the program, when it was killed.</summary>
    public int? Signal { get; init; }

    public byte[] StdoutBytes { get; init; } = [];
    public byte[] StderrBytes { get; init; } = [];
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }

    public TimeSpan CpuTime { get; init; }
    public TimeSpan WallTime { get; init; }
    public long PeakMemoryBytes { get; init; }

    /// <summary>Why the sandbox failed, or which limit was hit, in words.</summary>
    public string? Message { get; init; }

    /// <summary>Contents of the requested <see cref="RunRequest.FetchFiles"/> that existed.</summary>
    public IReadOnlyDictionary<string, byte[]> FetchedFiles { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Requested files that exist but were not fetched, with the reason (not a regular file, over a cap).</summary>
    public IReadOnlyDictionary<string, string> FetchRefused { get; init; } = new Dictionary<string, string>();

    public string Stdout => Encoding.UTF8.GetString(StdoutBytes);
    public string Stderr => Encoding.UTF8.GetString(StderrBytes);

    public static RunResult SandboxFailure(string message) => new() { Verdict = Verdict.SandboxError, Message = message };
}
