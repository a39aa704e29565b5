using System.Security.Cryptography;
using System.Text;
using Crucible.Repos.Tasks;

namespace Crucible.Repos.Evaluation;

/// <summary>
/// The identity of one grade: everything that can change it (the grading rules' version, the task's base, tests and
/// lists, the patch, the round). Equal keys mean the stored grade can be reused.
/// </summary>
public static class GradeKey
{
    /// <summary>Bumped whenever grading rules change, so old stored grades are not reused.</summary>
    public const string HarnessVersion = "crucible-swe/1";

    public static string For(RepositoryTask task, Prediction prediction, int round)
    {
        var sb = new StringBuilder(HarnessVersion).Append('\0')
            .Append(task.InstanceId).Append('\0').Append(task.Repo).Append('\0').Append(task.BaseCommit).Append('\0')
            .Append(task.TestPatch).Append('\0').AppendJoin('\n', task.FailToPass).Append('\0').AppendJoin('\n', task.PassToPass).Append('\0')
            .Append(prediction.ModelName).Append('\0').Append(prediction.ModelPatch is null ? "\u0001none" : prediction.ModelPatch).Append('\0').Append(round);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}
