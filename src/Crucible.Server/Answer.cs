namespace Crucible.Server;

/// <summary>
/// A response as sent: status, JSON body and Retry-After. Kept as bytes so an <c>Idempotency-Key</c> replay sends
/// exactly what the first request got. <see cref="Complete"/> says whether it is final (worth replaying) or reports
/// an interruption or infrastructure failure that a retry should really run again.
/// </summary>
internal sealed record Answer(int Status, byte[] Body, int? RetryAfterSeconds, bool Complete)
{
    /// <summary>No one to answer: the client closed the connection (nginx's 499).</summary>
    public static Answer ClientGone { get; } = new(499, [], null, false);
}
