using Crucible.Agent.Models;
using Crucible.Repos.Mining;

namespace Crucible.Cli;

/// <summary>
/// Problem statements for mined tasks written by a model, as SWE-smith does: it sees the failing tests, their output
/// and the fix, and is told to describe the symptom as a user would, without the fix. Falls back to the placeholder
/// when the model fails, so mining never stops on a model error.
/// </summary>
internal sealed class ModelStatementWriter(IModelClient client) : IProblemStatementWriter
{
    private readonly PlaceholderStatementWriter _fallback = new();

    public async Task<string> WriteAsync(MinedCandidate c, CancellationToken cancellationToken = default)
    {
        var prompt = $"""
            Write a GitHub issue for the repository {c.Repo}, as a user who hit the bug would: what they did, what they
            expected and what happened instead, with a short code example. Do not describe the fix, do not name the
            changed lines, do not mention tests or this prompt. Answer with the issue text only (Markdown).

            Tests that fail before the fix:
            {string.Join("\n", c.FailToPass.Take(20))}

            Their output before the fix (tail):
            {Tail(c.FailingLog, 4000)}

            The fix (for your understanding only — never reveal it):
            {Tail(c.GoldPatch, 6000)}
            """;
        try
        {
            var completion = await client.CompleteAsync(ModelRequest.Chat([ModelMessage.User(prompt)], SamplingOptions.Default), cancellationToken);
            return string.IsNullOrWhiteSpace(completion.Text) ? await _fallback.WriteAsync(c, cancellationToken) : completion.Text.Trim() + "\n";
        }
        catch (ModelException e)
        {
            Console.Error.WriteLine($"[mine] model failed for {c.Commit[..10]} ({e.Message}); using the placeholder statement");
            return await _fallback.WriteAsync(c, cancellationToken);
        }
    }

    private static string Tail(string s, int n) => s.Length <= n ? s : s[^n..];
}
