using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Parley.Server.Infrastructure.Persistence;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>The ASP.NET Data Protection key ring, stored in the database, encrypted under <c>Parley:Encryption:Key</c>.</summary>
public sealed class KeyRingEncryptionTests
{
    private const string Site = "https://shop.example";

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static Task<List<string>> StoredKeyRingAsync(ParleyApp app) =>
        app.DbAsync(db => db.DataProtectionKeys.AsNoTracking().Select(k => k.Xml!).ToListAsync());

    /// <summary>A widget session token: Data Protection protects it, so reading it after a restart needs the same key ring.</summary>
    private static async Task<(string Token, string ConversationId)> WidgetSessionAsync(ParleyApp app)
    {
        var owner = app.Client();
        var bot = await owner.CreateBotAsync();
        var publishable = (string)(await (await owner.PostJsonAsync("/v1/api-keys", new { name = "site", kind = "publishable", bot_id = bot, allowed_origins = new[] { Site } }))
            .JsonAsync(HttpStatusCode.Created))["publishable_key"]!;
        var browser = app.Client(publishable);
        browser.DefaultRequestHeaders.Add("Origin", Site);
        var session = await (await browser.PostJsonAsync("/v1/widget/sessions", new { contact = new { email = "ring@example.com" } })).JsonAsync(HttpStatusCode.OK);
        return ((string)session["session_token"]!, session["conversation"]!.Id());
    }

    private static async Task<HttpStatusCode> ReadWithSessionAsync(ParleyApp app, (string Token, string ConversationId) session)
    {
        var visitor = app.Client(session.Token);
        visitor.DefaultRequestHeaders.Add("Origin", Site);
        return (await visitor.GetAsync($"/v1/conversations/{session.ConversationId}/messages")).StatusCode;
    }

    private static async Task<ParleyApp> StartAsync(string dataDirectory, string? database, string? key, params string[] previousKeys)
    {
        var app = new ParleyApp(dataDirectory, database) { KeepDatabase = true };
        if (key is not null)
        {
            app.With("Parley:Encryption:Key", key);
        }
        for (var i = 0; i < previousKeys.Length; i++)
        {
            app.With($"Parley:Encryption:PreviousKeys:{i}", previousKeys[i]);
        }
        await app.InitializeAsync();
        return app;
    }

    [Fact]
    public async Task KeyRing_StoredInClearThenKeyConfiguredThenRotated_EncryptedAndEveryStartReadsTheSameKeys()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "parley-tests", Guid.NewGuid().ToString("N"));
        var (first, second) = (NewKey(), NewKey());

        // Without a configured key the ring is stored as Data Protection writes it: the key material in clear.
        var app = await StartAsync(dataDirectory, null, key: null);
        var database = app.PostgresDatabase;
        var session = await WidgetSessionAsync(app);
        Assert.Equal(HttpStatusCode.OK, await ReadWithSessionAsync(app, session));
        Assert.Contains(await StoredKeyRingAsync(app), xml => xml.Contains("<masterKey", StringComparison.Ordinal));
        await ((IAsyncLifetime)app).DisposeAsync();
        try
        {
            // A key configured: the ring stored in clear still loads (the session reads), and is encrypted at start-up.
            app = await StartAsync(dataDirectory, database, first);
            Assert.IsType<KeyRingEncryptor>(app.Services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlEncryptor);
            Assert.Equal(HttpStatusCode.OK, await ReadWithSessionAsync(app, session));
            var ring = await StoredKeyRingAsync(app);
            Assert.NotEmpty(ring);
            Assert.All(ring, xml =>
            {
                Assert.DoesNotContain("masterKey", xml, StringComparison.Ordinal);
                Assert.Contains($"keyId=\"{FieldEncryption.IdOf(Convert.FromBase64String(first))}\"", xml, StringComparison.Ordinal);
            });
            await ((IAsyncLifetime)app).DisposeAsync();

            // Rotated: the ring opens with the previous key and is encrypted again under the new one...
            app = await StartAsync(dataDirectory, database, second, first);
            Assert.Equal(HttpStatusCode.OK, await ReadWithSessionAsync(app, session));
            Assert.All(await StoredKeyRingAsync(app), xml =>
                Assert.Contains($"keyId=\"{FieldEncryption.IdOf(Convert.FromBase64String(second))}\"", xml, StringComparison.Ordinal));
            await ((IAsyncLifetime)app).DisposeAsync();

            // ...so the previous key can go.
            app = await StartAsync(dataDirectory, database, second);
            Assert.Equal(HttpStatusCode.OK, await ReadWithSessionAsync(app, session));
            var export = await app.Client().GetStringAsync("/v1/export/contacts.ndjson?include_pii=true");
            Assert.Contains("ring@example.com", export, StringComparison.Ordinal);
        }
        finally
        {
            app.KeepDatabase = false;
            await ((IAsyncLifetime)app).DisposeAsync();
        }
    }
}
