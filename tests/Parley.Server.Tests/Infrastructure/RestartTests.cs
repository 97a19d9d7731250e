using System.Net;
using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Infrastructure;

public sealed class RestartTests
{
    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Restart_KeepsDataAndKey_NeverSeedsTwice()
    {
        var dataDirectory = NewDataDirectory();
        var first = new ParleyApp(dataDirectory) { KeepDatabase = true };
        await first.InitializeAsync();
        var botId = await first.Client().CreateBotAsync("Survivor");
        var keyFile = Path.Combine(dataDirectory, "admin-key.txt");
        var keyBefore = await File.ReadAllTextAsync(keyFile);
        Assert.Equal(ParleyApp.OwnerKey, keyBefore.Trim());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
        var database = first.PostgresDatabase;
        await ((IAsyncLifetime)first).DisposeAsync();

        // The second start is configured with another bootstrap key: an existing workspace is never re-seeded.
        var second = new ParleyApp(dataDirectory, database).With("Parley:Bootstrap:ApiKey", "sk_someOtherKey000000000000000000000");
        await second.InitializeAsync();
        try
        {
            var bot = await (await second.Client().GetAsync($"/v1/bots/{botId}")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("Survivor", (string?)bot["name"]);
            Assert.Equal(keyBefore, await File.ReadAllTextAsync(keyFile));
            await (await second.Client("sk_someOtherKey000000000000000000000").GetAsync("/v1/bots")).ProblemAsync(HttpStatusCode.Unauthorized, "invalid_api_key");
            Assert.Equal(1, await second.DbAsync(db => db.Workspaces.CountAsync()));
        }
        finally
        {
            await ((IAsyncLifetime)second).DisposeAsync();
        }
    }

    [Fact]
    public async Task FirstStart_NoConfiguredKey_GeneratesOneThatWorks()
    {
        var app = new ParleyApp(NewDataDirectory()).With("Parley:Bootstrap:ApiKey", "");
        await app.InitializeAsync();
        try
        {
            var key = (await File.ReadAllTextAsync(Path.Combine(app.DataDirectory, "admin-key.txt"))).Trim();
            Assert.StartsWith("sk_", key, StringComparison.Ordinal);
            Assert.NotEqual(ParleyApp.OwnerKey, key);
            var bots = await (await app.Client(key).GetAsync("/v1/bots")).JsonAsync(HttpStatusCode.OK);
            Assert.Equal("Parley Demo", (string?)bots["data"]![0]!["name"]);
        }
        finally
        {
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
