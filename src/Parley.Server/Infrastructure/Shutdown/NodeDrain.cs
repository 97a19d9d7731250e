using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Errors;

namespace Parley.Server.Infrastructure.Shutdown;

/// <summary>
/// Takes a node out of service when the host stops (SIGTERM): at once <c>/readyz</c> answers unhealthy and every
/// response closes its connection, while requests are still served for <see cref="ShutdownOptions.DrainDelay"/>, so a
/// load balancer moves away without a refusal; then the web server stops listening, open event streams end (clients
/// resume elsewhere with <c>Last-Event-ID</c>), and the host stops once the requests under way have finished. It is
/// registered after every worker, and hosted services stop in reverse order: the web server stops first, then this
/// waits for the requests it had (the test server does not wait for them itself), and only then do the workers finish
/// their pass and hand back their leases.
/// </summary>
/// <remarks>
/// Kestrel stops listening before anything is refused: a connection it no longer accepts is refused by the system, and
/// the load balancer sends the request elsewhere (nginx does even for a POST, since it sent nothing), whereas a request
/// refused with a 503 reaches the client. A request Kestrel is already reading is served; a connection accepted whose
/// request it has not read yet is closed (behind nginx, a 502 the client resends). A server that cannot stop listening
/// (the in-memory test server) answers <c>503 node_stopping</c> with <c>Retry-After</c> instead.
/// </remarks>
public sealed partial class NodeDrain(IOptions<ShutdownOptions> options, TimeProvider time, IServer server, ILogger<NodeDrain> logger)
    : IHostedLifecycleService, IDisposable
{
    /// <summary>Seconds a refused client should wait: another node can take the request at once.</summary>
    public const int RetryAfterSeconds = 1;

    private readonly CancellationTokenSource _closed = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _serverStopsListening = server.GetType().Assembly == typeof(KestrelServerOptions).Assembly;
    private Task _serverStopping = Task.CompletedTask;
    private int _inFlight;
    private volatile bool _draining;

    /// <summary>True from the moment the node starts stopping: it should get no new work.</summary>
    public bool IsDraining => _draining;

    /// <summary>Cancelled when the node stops taking requests: long-lived responses (event streams) end then.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Counts the request as under way, or refuses it once the node is closed.</summary>
    public async Task HandleAsync(HttpContext http, RequestDelegate next)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (_draining && HttpProtocol.IsHttp11(http.Request.Protocol))
            {
                // No idle connection to this node stays in a load balancer's pool, to be reused as the node goes away.
                http.Response.Headers.Connection = "close";
            }
            if (_closed.IsCancellationRequested && !_serverStopsListening && !IsHealthCheck(http.Request.Path))
            {
                http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Problems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NodeStopping,
                    "This node is stopping and takes no new requests; nothing of this one was done. Send it again: another node will take it.");
                return;
            }
            await next(http);
        }
        finally
        {
            if (Interlocked.Decrement(ref _inFlight) == 0 && _closed.IsCancellationRequested)
            {
                _idle.TrySetResult();
            }
        }
    }

    async Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken)
    {
        if (_draining)
        {
            return;
        }
        _draining = true;
        var delay = options.Value.DrainDelay;
        LogDraining(logger, delay);
        if (delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (_serverStopsListening)
        {
            // The host stops the server again later and waits for this same stop. It finishes once the requests and the
            // event streams under way have, and the streams end just below.
            _serverStopping = server.StopAsync(cancellationToken);
        }
        await _closed.CancelAsync();
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _serverStopping;
        }
        catch (Exception)
        {
            // Timed out, or failed: the host reports the server's failure when it stops the server itself. The requests
            // under way are still waited for below.
        }
        var underWay = Volatile.Read(ref _inFlight);
        if (underWay == 0)
        {
            return;
        }
        LogWaiting(logger, underWay);
        try
        {
            await _idle.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            LogTimedOut(logger, Volatile.Read(ref _inFlight));
        }
    }

    private static bool IsHealthCheck(PathString path) => path.Equals("/readyz") || path.Equals("/healthz");

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _closed.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping: /readyz answers unhealthy; serving for {DrainDelay} more, then taking no new requests")]
    private static partial void LogDraining(ILogger logger, TimeSpan drainDelay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting for {Requests} requests under way")]
    private static partial void LogWaiting(ILogger logger, int requests);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shutdown timeout passed with {Requests} requests still under way")]
    private static partial void LogTimedOut(ILogger logger, int requests);
}
