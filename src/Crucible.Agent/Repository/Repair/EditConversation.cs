using Crucible.Agent.Models;
using Crucible.Agent.Repository.Editing;

namespace Crucible.Agent.Repository.Repair;

/// <summary>
/// Asks for edits and applies them, and when blocks do not apply or the lint guard refuses them, tells the model
/// exactly why (closest lines, syntax error, undefined names) and asks again, up to <see cref="RepairSettings.EditRetries"/>
/// times. Edits that applied stay applied; a refused answer leaves the files as they were. Returns the last answer's report.
/// </summary>
public static class EditConversation
{
    /// <param name="conversation">Messages so far, ending with the request; answers and feedback are appended.</param>
    /// <param name="firstAnswer">An answer already drawn for the request (rerank draws its samples in one go).</param>
    public static async Task<EditReport> RunAsync(RepairContext context, List<ModelMessage> conversation, string purpose, CancellationToken ct, string? firstAnswer = null)
    {
        EditReport? last = null;
        for (var attempt = 0; attempt <= context.Settings.EditRetries; attempt++)
        {
            var answer = attempt == 0 && firstAnswer is not null
                ? firstAnswer
                : (await context.AskAsync(conversation, 1, attempt == 0 ? purpose : purpose + "/retry", ct).ConfigureAwait(false))[0];
            conversation.Add(ModelMessage.Assistant(answer));
            last = await context.ApplyAsync(answer, purpose, ct).ConfigureAwait(false);
            if (last.Feedback() is not { } feedback) break;
            if (attempt == context.Settings.EditRetries) break;
            conversation.Add(ModelMessage.User(feedback));
        }
        return last!;
    }
}
