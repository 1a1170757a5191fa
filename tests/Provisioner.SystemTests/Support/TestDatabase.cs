using Npgsql;

namespace Provisioner.SystemTests.Support;

/// <summary>
/// Where an appliance under test keeps its inventory: a SQLite file in its data dir, or a fresh
/// database on the PostgreSQL server test.sh starts (connection in PROVISIONER_TEST_POSTGRES),
/// dropped afterwards.
/// </summary>
internal sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "PROVISIONER_TEST_POSTGRES";
    public const string SocketVariable = "PROVISIONER_TEST_POSTGRES_SOCKET";
    private readonly string? _adminConnection;
    private readonly string? _name;

    private TestDatabase(string kind, string? connectionString, string? adminConnection, string? name)
    {
        Kind = kind;
        ConnectionString = connectionString;
        _adminConnection = adminConnection;
        _name = name;
    }

    public string Kind { get; }

    /// <summary>For <c>--database</c>; null means the SQLite default.</summary>
    public string? ConnectionString { get; }

    public static TestDatabase Sqlite() => new("sqlite", null, null, null);

    public static TestDatabase Postgres()
    {
        string server = Environment.GetEnvironmentVariable(PostgresVariable)
            ?? throw new InvalidOperationException($"{PostgresVariable} is not set: run the suite with ./test.sh, which installs and starts PostgreSQL");
        string name = $"provisioner_test_{Guid.NewGuid():N}"[..32];
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        var admin = new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false };
        return new TestDatabase("postgres", builder.ToString(), admin.ToString(), name);
    }

    /// <summary>
    /// The same database through the server's Unix socket (PROVISIONER_TEST_POSTGRES_SOCKET), for
    /// appliances in network namespaces, which do not share the host's 127.0.0.1.
    /// </summary>
    public string SocketConnectionString =>
        new NpgsqlConnectionStringBuilder(ConnectionString ?? throw new InvalidOperationException("SQLite has no socket"))
        {
            Host = Environment.GetEnvironmentVariable(SocketVariable)
                ?? throw new InvalidOperationException($"{SocketVariable} is not set: run the suite with ./test.sh, which installs and starts PostgreSQL"),
        }.ToString();

    /// <summary>The appliance arguments that select this database.</summary>
    public IEnumerable<string> Arguments(string dataDir) =>
        ConnectionString is null ? ["--data-dir", dataDir] : ["--data-dir", dataDir, "--database", ConnectionString];

    public async ValueTask DisposeAsync()
    {
        if (_adminConnection is null)
        {
            return;
        }
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnection);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        // An autovacuum worker may still be in the fresh database for a moment, and this role may not end it.
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }
}
