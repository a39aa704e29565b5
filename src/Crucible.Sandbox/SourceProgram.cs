namespace Crucible.Sandbox;

/// <summary>A program to compile and run: one source file in one language, plus optional compiler flags.</summary>
public sealed record SourceProgram(string Language, string Source)
{
    /// <summary>Extra compiler flags appended to the language's defaults (part of the cache key).</summary>
    public IReadOnlyList<string> CompileFlags { get; init; } = [];

    /// <summary>
    /// Wall time the compile step may take (SandboxFusion's <c>compile_timeout</c>); null for the pool's compile
    /// limits, which it can lower but never raise. Not part of the cache key: only successes and compile errors are
    /// cached, and a time limit changes neither.
    /// </summary>
    public TimeSpan? CompileTimeLimit { get; init; }

    /// <summary>
    /// The same program for a Python zygote that preloaded <see cref="PreloadedVariant.Module"/>
    /// (<see cref="SandboxPool.PreloadPythonModule"/>): shorter, because it takes the module from <c>sys.modules</c>
    /// instead of carrying it. Used only where that module is known to be loaded; everywhere else <see cref="Source"/> runs.
    /// </summary>
    public PreloadedVariant? WhenPreloaded { get; init; }
}

/// <summary>A program's source for a runtime that has already imported <paramref name="Module"/>.</summary>
public sealed record PreloadedVariant(string Module, string Source);
