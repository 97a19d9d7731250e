using Npgsql;

namespace Parley.Server.Infrastructure.Cluster;

/// <summary>
/// The bus over PostgreSQL's LISTEN/NOTIFY, for several nodes without Redis: one connection per node listens, and a
/// notification is sent with <c>pg_notify</c> on a pooled connection.
/// </summary>
public sealed class PostgresClusterBus(string connectionString, ILogger<PostgresClusterBus> logger) : IClusterBus, IAsyncDisposable
{
    private const string Channel = "parley_cluster";
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);


    public async Task PublishAsync(string message, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT pg_notify(@channel, @message)");
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("message", message);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ListenAsync(Action<string> received, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // Not from the pool: a listening connection must stay open, and is ours alone.
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, notification) => received(notification.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException)
            {
                // Messages sent while not listening are missed: the caches they were about expire on their own.
                logger.LogWarning(ex, "Listening for other nodes' messages failed; listening again shortly");
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
