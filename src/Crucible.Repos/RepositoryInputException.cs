namespace Crucible.Repos;

/// <summary>
/// Bad input from the user (a malformed instance, a missing repository, an unknown commit, a prediction for an
/// unknown task): the message names the input and how to fix it. Never an infrastructure failure.
/// </summary>
public sealed class RepositoryInputException(string message, Exception? inner = null) : Exception(message, inner);
