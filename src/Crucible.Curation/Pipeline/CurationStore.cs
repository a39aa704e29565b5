using Microsoft.Data.Sqlite;

namespace Crucible.Curation;

/// <summary>
/// The resume store (SQLite): what the expensive stages computed — verification of a problem, a model sample and its
/// verdict — keyed by a hash of everything the result depends on, so a rerun (or a run that was interrupted) redoes
/// only what changed. Infrastructure failures are never stored, so they are retried.
/// </summary>
public sealed class CurationStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _gate = new();

    private CurationStore(SqliteConnection connection, string path)
    {
        _connection = connection;
        Path = path;
    }

    public string Path { get; }

    /// <summary>Opens (creating when absent) the store at <paramref name="path"/>; <c>:memory:</c> for a throwaway store.</summary>
    public static CurationStore Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            PRAGMA journal_mode=WAL;
            PRAGMA synchronous=NORMAL;
            CREATE TABLE IF NOT EXISTS results (stage TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (stage, key));
            """;
        cmd.ExecuteNonQuery();
        return new CurationStore(connection, path);
    }

    public string? Get(string stage, string key)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT value FROM results WHERE stage = $s AND key = $k";
            cmd.Parameters.AddWithValue("$s", stage);
            cmd.Parameters.AddWithValue("$k", key);
            return cmd.ExecuteScalar() as string;
        }
    }

    public void Put(string stage, string key, string value)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "INSERT OR REPLACE INTO results (stage, key, value) VALUES ($s, $k, $v)";
            cmd.Parameters.AddWithValue("$s", stage);
            cmd.Parameters.AddWithValue("$k", key);
            cmd.Parameters.AddWithValue("$v", value);
            cmd.ExecuteNonQuery();
        }
    }

    /// <summary>Number of stored results of a stage.</summary>
    public int Count(string stage)
    {
        lock (_gate)
        {
            using var cmd = _connection.CreateCommand();
            cmd.CommandText = "SELECT COUNT(*) FROM results WHERE stage = $s";
            cmd.Parameters.AddWithValue("$s", stage);
            return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public void Dispose() => _connection.Dispose();
}
