using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;

namespace Crucible.Agent.Repository.Strategies.OneShot;

/// <summary>
/// Localise (three calls), then one edit answer (plus retries only if its blocks do not apply or break the syntax).
/// The patch is checked when verification is on, but never revised.
/// </summary>
public sealed class OneShotStrategy : IRepairStrategy
{
    public string Name => "oneshot";

    public async Task<string?> SolveAsync(RepairContext context, CancellationToken cancellationToken)
    {
        var patch = await DraftAsync(context, Name, cancellationToken).ConfigureAwait(false);
        if (patch.Patch.Length > 0) await context.VerifyAsync(patch.Patch, cancellationToken).ConfigureAwait(false);
        return patch.Patch;
    }

    /// <summary>Localises, asks for the fix and applies it to a clean base; returns the patch and the conversation to continue.</summary>
    internal static async Task<(string Patch, List<ModelMessage> Conversation)> DraftAsync(RepairContext context, string purpose, CancellationToken ct)
    {
        var localization = await context.LocalizeAsync(ct).ConfigureAwait(false);
        await context.Workspace.ResetAsync(ct).ConfigureAwait(false);
        var conversation = new List<ModelMessage> { ModelMessage.User(EditPrompts.Fix(context.Issue, localization.RenderCode(context.Map, context.Workspace.ReadText), hints: false)) };
        await EditConversation.RunAsync(context, conversation, purpose + "/edit", ct).ConfigureAwait(false);
        return (await context.Workspace.DiffAsync(ct).ConfigureAwait(false), conversation);
    }
}
