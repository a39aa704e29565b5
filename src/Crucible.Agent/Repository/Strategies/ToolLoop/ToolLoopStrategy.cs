using System.Text.Json;
using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;

namespace Crucible.Agent.Repository.Strategies.ToolLoop;

/// <summary>
/// A SWE-agent-style loop: the model views windows of files, searches, edits (through the lint guard), runs the tests
/// and submits. Native tool calls when the server does them; text commands otherwise. In <see cref="ToolMode.Auto"/>
/// the loop starts native and switches to text for good when the server rejects tools (HTTP 400) or the model answers
/// with a text command instead of a call. Old observations are folded to one line, so the context stays short.
/// </summary>
public sealed class ToolLoopStrategy : IRepairStrategy
{
    public string Name => "tools";

    public async Task<string?> SolveAsync(RepairContext context, CancellationToken cancellationToken)
    {
        var native = context.Settings.ToolMode != ToolMode.Text;
        var executor = new ToolExecutor(context);
        var history = new List<ModelMessage> { ModelMessage.User(ToolCatalog.Task(context.Issue.ProblemStatement, native)) };
        var observations = new List<int>(); // indexes of observation messages in history, oldest first
        while (context.TryStep())
        {
            var request = ModelRequest.Chat(Fold(history, observations, context.Settings.KeepObservations), context.Sampling) with { Tools = native ? ToolCatalog.Native : [] };
            ModelCompletion answer;
            try
            {
                answer = await context.CallAsync(request, "tools/step", cancellationToken).ConfigureAwait(false);
            }
            catch (ModelException e) when (native && context.Settings.ToolMode == ToolMode.Auto && e.Kind == ModelErrorKind.BadRequest)
            {
                context.Note("the server rejected tool calls; switching to text actions", new() { ["error"] = e.Message });
                native = false;
                history[0] = ModelMessage.User(ToolCatalog.Task(context.Issue.ProblemStatement, native: false));
                continue;
            }

            var actions = answer.ToolCalls.Select(ToAction).ToList();
            if (actions.Count == 0 && TextActionParser.Parse(answer.Text) is { } textAction)
            {
                if (native && context.Settings.ToolMode == ToolMode.Auto)
                {
                    context.Note("the model wrote a text action instead of a tool call; switching to text actions");
                    native = false;
                    history[0] = ModelMessage.User(ToolCatalog.Task(context.Issue.ProblemStatement, native: false));
                }
                if (!native) actions.Add(textAction);
            }
            history.Add(new ModelMessage(ModelRole.Assistant, answer.Text) { ToolCalls = answer.ToolCalls.Count > 0 ? answer.ToolCalls : null });
            if (actions.Count == 0)
            {
                history.Add(ModelMessage.User(native
                    ? "No tool was called. Call exactly one of the tools (use submit when the fix is done)."
                    : "No command found. Reply with exactly one command in a ``` block, or SEARCH/REPLACE blocks.\n" + ToolCatalog.TextCommands));
                observations.Add(history.Count - 1);
                continue;
            }
            var submitted = false;
            foreach (var action in actions)
            {
                var (observation, done) = await executor.RunAsync(action, cancellationToken).ConfigureAwait(false);
                history.Add(action.CallId is { } id ? ModelMessage.ToolResult(id, observation) : ModelMessage.User("Observation:\n" + observation));
                observations.Add(history.Count - 1);
                submitted |= done;
            }
            if (submitted) return await context.Workspace.DiffAsync(cancellationToken).ConfigureAwait(false);
        }
        context.Note($"step limit ({context.Settings.MaxSteps}) reached; submitting the current change");
        return await context.Workspace.DiffAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ToolAction ToAction(ModelToolCall call)
    {
        Dictionary<string, JsonElement> args;
        try { args = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(call.Arguments) ?? []; }
        catch (JsonException) { args = []; }
        string? S(string k) => args.TryGetValue(k, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ToString() : null;
        int? I(string k) => args.TryGetValue(k, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) ? n
            : int.TryParse(S(k), out var m) ? m : null;
        return call.Name switch
        {
            "edit" => new ToolAction("edit") { EditText = ToolExecutor.EditBlock(S("path") ?? "", S("search") ?? "", S("replace") ?? ""), CallId = call.Id },
            "search" => new ToolAction("search") { Term = S("term"), Path = S("path"), CallId = call.Id },
            "find_file" => new ToolAction("find_file") { Term = S("name"), CallId = call.Id },
            "open" => new ToolAction("open") { Path = S("path"), Line = I("line"), CallId = call.Id },
            _ => new ToolAction(call.Name) { CallId = call.Id },
        };
    }

    /// <summary>The history with all but the last <paramref name="keep"/> observations folded to one line each.</summary>
    private static List<ModelMessage> Fold(List<ModelMessage> history, List<int> observations, int keep)
    {
        var folded = new List<ModelMessage>(history);
        foreach (var i in observations.Take(Math.Max(0, observations.Count - keep)))
        {
            var m = history[i];
            var lines = m.Text.Count(c => c == '\n') + 1;
            folded[i] = m with { Text = $"(old observation folded: {lines} lines)" };
        }
        return folded;
    }
}
