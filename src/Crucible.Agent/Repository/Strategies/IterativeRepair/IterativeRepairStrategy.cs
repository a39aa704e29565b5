using Crucible.Agent.Models;
using Crucible.Agent.Repository.Repair;
using Crucible.Agent.Repository.Strategies.OneShot;
using Crucible.Agent.Repository.Verification;

namespace Crucible.Agent.Repository.Strategies.IterativeRepair;

/// <summary>
/// One-shot, then up to R rounds: the failing reproduction and regression tests (ids and the log's tail) go back to
/// the model, which edits on top of its previous change. Returns the best checked version, which is not always the last.
/// </summary>
public sealed class IterativeRepairStrategy(int rounds) : IRepairStrategy
{
    public string Name => "repair";

    public async Task<string?> SolveAsync(RepairContext context, CancellationToken cancellationToken)
    {
        var (patch, conversation) = await OneShotStrategy.DraftAsync(context, Name, cancellationToken).ConfigureAwait(false);
        for (var round = 0; round < rounds; round++)
        {
            var check = await context.VerifyAsync(patch, cancellationToken).ConfigureAwait(false);
            if (check is null && patch.Length > 0) { context.Note("nothing to check against: stopping after the first patch"); break; }
            if (check is { Passes: true }) break;
            context.StartRound();
            await context.RestoreAsync(patch, cancellationToken).ConfigureAwait(false);
            conversation.Add(ModelMessage.User(check is null
                ? "Your answer changed nothing. " + EditPrompts.Format
                : VerificationPrompts.Failures(check)));
            await EditConversation.RunAsync(context, conversation, $"{Name}/round-{round + 1}", cancellationToken).ConfigureAwait(false);
            patch = await context.Workspace.DiffAsync(cancellationToken).ConfigureAwait(false);
        }
        if (patch.Length > 0) await context.VerifyAsync(patch, cancellationToken).ConfigureAwait(false);
        return context.Best?.Patch ?? patch;
    }
}
