using Crucible.Agent.Models;
using Crucible.Judge;

namespace Crucible.Agent.Prompts;

/// <summary>
/// Turns a problem into what the model sees. Built in: <c>instruct</c> (chat models, answer in a fenced block) and
/// <c>base</c> (completion models continue a raw prompt up to a stop sequence); a file path gives a custom chat template.
/// </summary>
public abstract class PromptTemplate
{
    /// <summary>Name recorded with samples and traces.</summary>
    public abstract string Name { get; }

    public abstract ModelApi Api { get; }

    public abstract RenderedPrompt Render(Problem problem, string language);

    public static IReadOnlyList<string> BuiltInNames { get; } = ["instruct", "base"];

    /// <summary>
    /// <c>instruct</c>, <c>chat</c> (same), <c>base</c>, <c>completion</c> (same), or the path of a text file holding a chat
    /// template with placeholders (see <see cref="FilePromptTemplate"/>).
    /// </summary>
    public static PromptTemplate Resolve(string nameOrPath)
    {
        switch (nameOrPath.Trim().ToLowerInvariant())
        {
            case "instruct" or "chat": return new InstructPromptTemplate();
            case "base" or "completion": return new BasePromptTemplate();
        }
        if (File.Exists(nameOrPath)) return FilePromptTemplate.Load(nameOrPath);
        throw new ArgumentException($"--prompt-template '{nameOrPath}' is neither a built-in template ({string.Join(", ", BuiltInNames)}) nor an existing file.");
    }

    /// <summary>What kind of answer a problem needs, which decides the wording of every built-in template.</summary>
    internal static ProblemShape ShapeOf(Problem problem)
    {
        var hasPrompt = !string.IsNullOrWhiteSpace(problem.Prompt);
        var hasStatement = !string.IsNullOrWhiteSpace(problem.Statement) && problem.Statement.Trim() != problem.Prompt?.Trim();
        if (hasPrompt && !hasStatement) return ProblemShape.CompleteFunction;
        if (hasPrompt) return ProblemShape.StatementWithStarter;
        var callTests = problem.Tests.Any(t => t.CallsIntoPython);
        return problem.EntryPoint is not null && (callTests || !problem.Tests.Any(t => t is StdioTest or CheckerTest))
            ? ProblemShape.WriteFunction
            : ProblemShape.StdinStdout;
    }
}

internal enum ProblemShape
{
    /// <summary>HumanEval: the prompt is a function header with its docstring.</summary>
    CompleteFunction,
    /// <summary>LiveCodeBench LeetCode problems: a statement plus starter code.</summary>
    StatementWithStarter,
    /// <summary>MBPP-like: a statement and the name of the function the tests call.</summary>
    WriteFunction,
    /// <summary>Competitive programming: read stdin, write stdout.</summary>
    StdinStdout,
}
