using Crucible.Client;

namespace Crucible.Server;

/// <summary>Resolves a requested language name (any alias, SandboxFusion's included) to an available language id.</summary>
internal static class Languages
{
    /// <summary>
    /// SandboxFusion's test-framework languages: the code is a test suite run by a framework, not a program. Running
    /// it as the plain language would judge something else, so they are refused until Crucible runs such suites.
    /// </summary>
    private static readonly Dictionary<string, string> TestFrameworks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["junit"] = "Java with JUnit test classes",
        ["pytest"] = "Python test files run by pytest",
        ["go_test"] = "Go test files run by go test",
        ["jest"] = "JavaScript test files run by Jest",
        ["D_ut"] = "D unit tests",
    };

    public static string Resolve(ExecutionHost host, string? name, string field)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new InvalidFieldException(field, "language is required, e.g. python, cpp, java, nodejs (see GET /v1/languages).");
        if (TestFrameworks.TryGetValue(name.Trim(), out var framework))
            throw new InvalidFieldException(field, $"language '{name}' ({framework}) is not supported yet: Crucible runs programs, not test-framework suites. " +
                "Send the plain language (e.g. java with a main class that runs the checks), or use /v1/judge with assertion tests for Python.");
        if (!host.Pool.Languages.TryGet(name, out var lang))
            throw new InvalidFieldException(field, $"language '{name}' is not supported by this server; supported: {Supported(host)} (GET /v1/languages lists aliases).");
        if (!lang.Available)
            throw new InvalidFieldException(field, $"language '{name}' is not available on this server: {lang.UnavailableReason}");
        return lang.Id;
    }

    public static string Supported(ExecutionHost host) =>
        string.Join(", ", host.Pool.Languages.All.Where(l => l.Available).Select(l => l.Id));
}
