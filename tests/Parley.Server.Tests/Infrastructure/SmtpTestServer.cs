using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>A real SMTP server (Debian's python3-aiosmtpd) that stores what it receives in a maildir.</summary>
public sealed class SmtpTestServer : IDisposable
{
    private readonly Process _process;

    private SmtpTestServer(int port, string mailDirectory, Process process)
    {
        Port = port;
        MailDirectory = mailDirectory;
        _process = process;
    }

    public int Port { get; }
    public string MailDirectory { get; }

    /// <summary>A loopback port nothing listens on (yet): an SMTP server that is down, until one is started on it.</summary>
    public static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public static async Task<SmtpTestServer> StartAsync(int? onPort = null)
    {
        var port = onPort ?? FreePort();
        var mailDirectory = Path.Combine(Path.GetTempPath(), "parley-tests", "mail-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("/usr/bin/python3",
            ["-m", "aiosmtpd", "-n", "-l", $"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Mailbox", mailDirectory])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start aiosmtpd (install Debian's python3-aiosmtpd).");
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50);
            }
            catch (SocketException)
            {
                throw new InvalidOperationException("aiosmtpd did not start: " + (process.HasExited ? await process.StandardError.ReadToEndAsync() : "no answer"));
            }
        }
        return new SmtpTestServer(port, mailDirectory, process);
    }

    /// <summary>Waits for a message and returns its raw text.</summary>
    public async Task<string> WaitForMessageAsync(TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        var inbox = Path.Combine(MailDirectory, "new");
        while (true)
        {
            if (Directory.Exists(inbox) && Directory.GetFiles(inbox).FirstOrDefault() is { } file)
            {
                return await File.ReadAllTextAsync(file);
            }
            Assert.True(DateTime.UtcNow < deadline, "No email arrived at the SMTP server.");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages arrived and returns the raw text of all of them.</summary>
    public async Task<IReadOnlyList<string>> WaitForMessagesAsync(int count, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(15));
        var inbox = Path.Combine(MailDirectory, "new");
        while (true)
        {
            var files = Directory.Exists(inbox) ? Directory.GetFiles(inbox) : [];
            if (files.Length >= count)
            {
                return await Task.WhenAll(files.Select(f => File.ReadAllTextAsync(f)));
            }
            Assert.True(DateTime.UtcNow < deadline, $"Expected {count} emails at the SMTP server, got {files.Length}.");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }
}
