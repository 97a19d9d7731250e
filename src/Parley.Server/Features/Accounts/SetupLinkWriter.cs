using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Features.Accounts;

/// <summary>
/// First run: once the server listens and no one has an account yet, logs a one-time setup link to <c>/app/setup</c>
/// and writes it to <c>setup-url.txt</c> in the data directory (mode 600). Once an owner exists the file is removed.
/// </summary>
public sealed class SetupLinkWriter(
    IHostApplicationLifetime lifetime, IServiceScopeFactory scopes, StorageOptions storage, SetupTokens tokens, AccountLinks links,
    ILogger<SetupLinkWriter> logger) : IHostedService
{
    public const string FileName = "setup-url.txt";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = WriteAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task WriteAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ParleyDbContext>();
            var path = Path.Combine(storage.DataDirectory, FileName);
            if (await db.Users.AnyAsync())
            {
                File.Delete(path);
                return;
            }
            var workspaceId = await db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).FirstOrDefaultAsync();
            if (workspaceId is null)
            {
                return;
            }
            var url = links.Setup(null, tokens.Issue(workspaceId));
            await OwnerOnlyFile.WriteAsync(path, url);
            logger.LogWarning("No one has an account yet. Open this one-time link to create the owner's account (also in {Path}): {SetupUrl}", path, url);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not write the setup link");
        }
    }
}
