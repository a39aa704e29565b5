using System.Text.Json;
using System.Text.Json.Serialization;
using Crucible.Repos.Grading;
using Microsoft.Data.Sqlite;

namespace Crucible.Repos.Store;

/// <summary>
/// Grades kept in SQLite, one row per key (task content + patch + round), written the moment each grade is known
/// and committed on its own: a run killed at any point resumes with every finished grade and no duplicate.
/// </summary>
public sealed class GradeStore : IDisposable
{
    private readonly SqliteConnection _db;
    private readonly Lock _gate = new();

    internal static readonly JsonSerializerOptions Json = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private GradeStore(SqliteConnection db, string path)
    {
        _db = db;
        Path = path;
    }

    public string Path { get; }

    public static GradeStore Open(string path)
    {
        var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        db.Open();
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = """
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous=NORMAL;
                CREATE TABLE IF NOT EXISTS grades (
                    key TEXT PRIMARY KEY,
                    instance_id TEXT NOT NULL,
                    model TEXT NOT NULL,
                    round INTEGER NOT NULL,
                    status TEXT NOT NULL,
                    report TEXT NOT NULL,
                    created TEXT NOT NULL);
                """;
            cmd.ExecuteNonQuery();
        }
        return new GradeStore(db, path);
    }

    public GradeReport? Get(string key)
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT report FROM grades WHERE key = $k";
            cmd.Parameters.AddWithValue("$k", key);
            return cmd.ExecuteScalar() is string s ? JsonSerializer.Deserialize<GradeReport>(s, Json) : null;
        }
    }

    /// <summary>Saves a grade; infrastructure errors are not saved, so a rerun retries them.</summary>
    public void Put(string key, int round, GradeReport report)
    {
        if (report.Status == GradeStatus.InfraError) return;
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO grades (key, instance_id, model, round, status, report, created) VALUES ($k, $i, $m, $r, $s, $j, $c)";
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$i", report.InstanceId);
            cmd.Parameters.AddWithValue("$m", report.ModelName);
            cmd.Parameters.AddWithValue("$r", round);
            cmd.Parameters.AddWithValue("$s", GradeReport.StatusName(report.Status));
            cmd.Parameters.AddWithValue("$j", JsonSerializer.Serialize(report, Json));
            cmd.Parameters.AddWithValue("$c", DateTimeOffset.UtcNow.ToString("O"));
            cmd.ExecuteNonQuery();
        }
    }

    public int Count()
    {
        lock (_gate)
        {
            using var cmd = _db.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM grades";
            return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public void Dispose() => _db.Dispose();
}
