using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Crucible.Agent.Models;

namespace Crucible.Agent.Solving;

/// <summary>A stable hash of a model request (endpoint kind, messages or prompt, sampling): the key replay matches on.</summary>
internal static class RequestFingerprint
{
    public static string Of(ModelRequest request)
    {
        var canonical = JsonSerializer.Serialize(new
        {
            api = request.Api.ToString(),
            messages = request.Messages.Select(m => new[] { m.Role.ToString(), m.Text }),
            prompt = request.Prompt,
            temperature = request.Sampling.Temperature,
            top_p = request.Sampling.TopP,
            max_tokens = request.Sampling.MaxTokens,
            seed = request.Sampling.Seed,
            stop = request.Sampling.Stop,
        });
        // Tool data is appended only when present, so fingerprints of plain requests (and older traces) are unchanged.
        if (request.Tools.Count > 0 || request.Messages.Any(m => m.ToolCalls is not null || m.ToolCallId is not null))
            canonical += "\n" + JsonSerializer.Serialize(new
            {
                tools = request.Tools.Select(t => new[] { t.Name, t.Description, t.ParametersSchema }),
                calls = request.Messages.Select(m => new { id = m.ToolCallId, calls = m.ToolCalls?.Select(c => new[] { c.Id, c.Name, c.Arguments }) }),
            });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))[..32];
    }
}
