namespace Crucible.Agent.Repository.Editing;

/// <summary>An edit that must not be made (path outside the repository, through a link, into .git).</summary>
public sealed class EditRefusedException(string message) : Exception(message);
