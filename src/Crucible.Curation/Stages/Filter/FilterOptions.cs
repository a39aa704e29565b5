namespace Crucible.Curation;

/// <summary>What the filter stage requires of a problem.</summary>
public sealed record FilterOptions
{
    /// <summary>Fewest tests a problem may keep (DeepCoder: 5); counted after oversized tests are removed.</summary>
    public int MinTests { get; init; } = 5;

    /// <summary>Largest test (input plus expected output, bytes of UTF-8) kept; larger tests are removed. Null for no limit.</summary>
    public long? MaxTestBytes { get; init; }

    /// <summary>Languages (of the problem's tests) kept; empty for every language.</summary>
    public IReadOnlySet<string> Languages { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Keep only problems dated on or after this; a problem without a date is dropped when a window is set.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Keep only problems dated on or before this.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Drop problems without a statement.</summary>
    public bool RequireStatement { get; init; } = true;

    /// <summary>Drop problems without a reference solution.</summary>
    public bool RequireReference { get; init; }
}
