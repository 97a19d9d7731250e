using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Parley.Server.Tests.Features.Accounts;
using Parley.Server.Tests.Features.Exports;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports;

/// <summary>Dashboard users, invitations and the audit log through export and import.</summary>
public sealed class AccountImportTests(ParleyApp app) : IClassFixture<ParleyApp>
{
    private const string AgentEmail = "agent.zoe@shop.example";

    [Fact]
    public async Task Import_UsersInvitationsAndAuditIntoAnotherInstance_RestoredWithoutAnySecret()
    {
        var owner = await Sessions.OwnerAsync(app);
        var agent = await Sessions.JoinAsync(app, owner, AgentEmail, "agent");
        var agentId = await Sessions.UserIdAsync(agent);
        var setup = await (await agent.PostAsync("/v1/auth/two-factor/authenticator", null)).JsonAsync(HttpStatusCode.OK);
        var sharedKey = ((string)setup["shared_key"]!).Replace(" ", "", StringComparison.Ordinal);
        var code = new Totp(Base32Encoding.ToBytes(sharedKey.ToUpperInvariant())).ComputeTotp();
        var enabled = await (await agent.PostJsonAsync("/v1/auth/two-factor/enable", new { code })).JsonAsync(HttpStatusCode.OK);
        var recoveryCode = (string)enabled["recovery_codes"]![0]!;
        var pending = await (await owner.PostJsonAsync("/v1/invitations", new { email = "pending.viewer@shop.example", role = "viewer" })).JsonAsync(HttpStatusCode.Created);
        var invitationToken = Sessions.TokenOf((string)pending["url"]!);
        var secrets = await app.DbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.Id == agentId);
            var tokens = await db.UserTokens.Where(t => t.UserId == agentId).Select(t => t.Value).ToListAsync();
            var invitation = await db.Invitations.IgnoreQueryFilters().SingleAsync(i => i.Id == pending.Id());
            return new[] { user.PasswordHash!, user.SecurityStamp!, Convert.ToHexStringLower(invitation.TokenHash), Convert.ToBase64String(invitation.TokenHash) }
                .Concat(tokens.OfType<string>()).ToList();
        });

        var exported = ExportJobs.Files(await ExportJobs.ExportAsync(owner));

        var archiveText = string.Concat(exported.Values);
        Assert.All(secrets.Append(sharedKey).Append(recoveryCode).Append(invitationToken), secret => Assert.DoesNotContain(secret, archiveText, StringComparison.Ordinal));
        Assert.DoesNotContain("password", exported["users.json"], StringComparison.OrdinalIgnoreCase);
        var sourceUsers = JsonNode.Parse(exported["users.json"])!.AsArray();
        Assert.Contains(sourceUsers, u => (string?)u!["role"] == "owner" && (string?)u["email"] == Sessions.OwnerEmail && (string?)u["name"] == "Olivia Owner");
        var exportedAgent = sourceUsers.Single(u => u!.Id() == agentId)!;
        Assert.Equal("agent", (string?)exportedAgent["role"]);
        Assert.True((bool)exportedAgent["two_factor_enabled"]!);
        var manifest = JsonNode.Parse(exported["manifest.json"])!;
        Assert.Equal(sourceUsers.Count, (long)manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == "users.json")!["count"]!);

        await using var other = new ParleyApp();
        await ((IAsyncLifetime)other).InitializeAsync();
        var newOwner = await SetUpOwnerAsync(other, "new.owner@other.example");
        var imported = await (await ImportTests.ImportAsync(newOwner, ImportTests.ExportArchive(exported))).JsonAsync(HttpStatusCode.Created);
        var again = ExportJobs.Files(await ExportJobs.ExportAsync(newOwner));

        var users = imported["report"]!["files"]!["users.json"]!;
        Assert.Equal(sourceUsers.Count, (long)users["created"]!);
        var notes = imported["report"]!["notes"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains(notes, n => n.Contains(AgentEmail, StringComparison.Ordinal) && n.Contains("without a password", StringComparison.Ordinal) && n.Contains("two-factor", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains(Sessions.OwnerEmail, StringComparison.Ordinal) && n.Contains("without a password", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("pending.viewer@shop.example", StringComparison.Ordinal) && n.Contains("without its link", StringComparison.Ordinal));
        var restored = JsonNode.Parse(again["users.json"])!.AsArray();
        foreach (var user in sourceUsers)
        {
            var copy = restored.Single(u => u!.Id() == user!.Id())!;
            // Two-factor cannot come over (the authenticator key stays behind): everything else does.
            user!["two_factor_enabled"] = false;
            Assert.Equal(user.ToJsonString(), copy.ToJsonString());
        }
        Assert.Equal(exported["invitations.json"], again["invitations.json"]);
        var targetAudit = again["audit_entries.ndjson"].Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.All(exported["audit_entries.ndjson"].Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Contains(line, targetAudit));
        Assert.Contains("\"action\":\"user.two_factor_enabled\"", exported["audit_entries.ndjson"], StringComparison.Ordinal);

        // Restored accounts have no password and no usable invitation link until someone resets it.
        await (await Sessions.Browser(other).PostJsonAsync("/v1/auth/sign-in", new { email = AgentEmail, password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await Sessions.Browser(other).PostJsonAsync("/v1/auth/invitations/accept", new { token = invitationToken, password = Sessions.Password }))
            .ProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var link = await (await newOwner.PostAsync($"/v1/users/{agentId}/password-reset", null)).JsonAsync(HttpStatusCode.OK);
        var reset = await Sessions.Browser(other).PostJsonAsync("/v1/auth/password-reset/confirm", new { token = Sessions.TokenOf((string)link["url"]!), password = "a brand new passphrase" });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        var signedIn = await Sessions.SignInAsync(other, AgentEmail, "a brand new passphrase");
        Assert.Equal("agent", (string?)(await (await signedIn.GetAsync("/v1/auth/me")).JsonAsync(HttpStatusCode.OK))["user"]!["role"]);

        // A second import of the same archive changes nothing.
        var rows = await UserRowsAsync(other);
        var second = await (await ImportTests.ImportAsync(newOwner, ImportTests.ExportArchive(exported))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal(sourceUsers.Count, (long)second["report"]!["files"]!["users.json"]!["skipped"]!);
        Assert.Equal(0, (long)second["report"]!["files"]!["audit_entries.ndjson"]!["created"]!);
        Assert.Equal(rows, await UserRowsAsync(other));
    }

    [Fact]
    public async Task Import_UsersIntoAnotherWorkspaceOfTheSameServer_EmailsTakenAndOwnerAboveAKeyAreNotRestored()
    {
        var owner = await Sessions.OwnerAsync(app);
        await Sessions.JoinAsync(app, owner, "second.agent@shop.example", "agent");
        var archive = ExportJobs.Files(await ExportJobs.ExportAsync(owner));
        var users = JsonNode.Parse(archive["users.json"])!.AsArray();
        // A teammate whose email is new here, but whose role a key (an admin) may not give.
        users.Add(JsonNode.Parse("""{"id":"usr_01JX0000000000000000000000","role":"owner","email":"co.owner@elsewhere.example","name":null,"two_factor_enabled":false,"created_at":"2026-01-02T03:04:05Z","last_sign_in_at":null,"lockout_end":null,"access_failed_count":0}"""));
        Rewrite(archive, "users.json", users.ToJsonString());
        // What the co-owner did, as the audit log has it.
        Rewrite(archive, "audit_entries.ndjson", archive["audit_entries.ndjson"]
            + """{"id":"aud_01JX0000000000000000000000","action":"user.role_changed","actor_id":"usr_01JX0000000000000000000000","target_id":"usr_01JX0000000000000000000000","created_at":"2026-01-02T03:04:06Z"}""" + "\n");
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Copy of the team");

        var imported = await (await ImportTests.ImportAsync(app.Client(key), ImportTests.ExportArchive(archive))).JsonAsync(HttpStatusCode.Created);

        var report = imported["report"]!["files"]!["users.json"]!;
        Assert.Equal(users.Count, (long)report["not_restored"]!);
        Assert.Equal(0, (long)report["created"]! + (long)report["remapped"]!);
        var notes = imported["report"]!["notes"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains(notes, n => n.Contains("second.agent@shop.example", StringComparison.Ordinal) && n.Contains("another workspace", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.Contains("co.owner@elsewhere.example", StringComparison.Ordinal) && n.Contains("only an owner", StringComparison.Ordinal));
        Assert.Equal(0, await app.DbAsync(db => db.Users.CountAsync(u => u.WorkspaceId == workspaceId), workspaceId));
        // The audit log came over as history, under new ids since the source workspace holds the originals; no entry
        // names a user who is not here (the source workspace's users, or the co-owner).
        var audit = await app.DbAsync(db => db.AuditEntries.ToListAsync(), workspaceId);
        Assert.NotEmpty(audit);
        Assert.All(audit, a => Assert.False(a.ActorId?.StartsWith("usr_", StringComparison.Ordinal) == true || a.TargetId?.StartsWith("usr_", StringComparison.Ordinal) == true, $"{a.Action} {a.ActorId} {a.TargetId}"));
        Assert.Contains(audit, a => a.Action == "user.role_changed" && a.ActorId is null && a.TargetId is null);
        Assert.Contains(audit, a => a.ActorId is null && a.Action != "user.role_changed");
    }

    [Theory]
    [InlineData("users.json", "role", "superuser", "role 'superuser'")]
    [InlineData("invitations.json", "role", "root", "role 'root'")]
    [InlineData("users.json", "email", "not-an-email", "not an email address")]
    public async Task Import_AccountRowWithABadValue_RefusedWithTheReasonAndNothingWritten(string file, string field, string value, string reason)
    {
        var owner = await Sessions.OwnerAsync(app);
        await (await owner.PostJsonAsync("/v1/invitations", new { email = $"bad.{Guid.NewGuid():N}@shop.example", role = "agent" })).JsonAsync(HttpStatusCode.Created);
        var archive = ExportJobs.Files(await ExportJobs.ExportAsync(owner));
        var rows = JsonNode.Parse(archive[file])!.AsArray();
        rows[^1]![field] = value;
        Rewrite(archive, file, rows.ToJsonString());
        var (workspaceId, key) = await app.CreateWorkspaceAsync("Bad archive");
        var before = await UserRowsAsync(app);

        var problem = await (await ImportTests.ImportAsync(app.Client(key), ImportTests.ExportArchive(archive))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid_archive");

        Assert.Contains($"{file} row {rows.Count}", (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Contains(reason, (string?)problem["detail"], StringComparison.Ordinal);
        Assert.Equal(before, await UserRowsAsync(app));
        Assert.Equal(0, await app.DbAsync(db => db.Bots.CountAsync(), workspaceId));
    }

    [Fact]
    public async Task Export_WithoutPersonalData_LeavesOutEmailsNamesAndAddresses()
    {
        var owner = await Sessions.OwnerAsync(app);
        await (await owner.PostJsonAsync("/v1/invitations", new { email = "private.person@shop.example", role = "viewer" })).JsonAsync(HttpStatusCode.Created);

        var archive = ExportJobs.Files(await ExportJobs.ExportAsync(owner, includePii: false));

        Assert.DoesNotContain("@", archive["users.json"], StringComparison.Ordinal);
        Assert.DoesNotContain("Olivia Owner", archive["users.json"], StringComparison.Ordinal);
        Assert.DoesNotContain("@", archive["invitations.json"], StringComparison.Ordinal);
        Assert.DoesNotContain("ip_address", archive["audit_entries.ndjson"], StringComparison.Ordinal);
        Assert.DoesNotContain("private.person", archive["audit_entries.ndjson"], StringComparison.Ordinal);
        var omitted = JsonNode.Parse(archive["manifest.json"])!["omitted_fields"]!.AsArray().Select(f => (string)f!).ToList();
        Assert.Contains("users.email", omitted);
        Assert.Contains("invitations.email", omitted);
        Assert.Contains("audit_entries.ip_address", omitted);
        Assert.Contains("\"role\":\"owner\"", archive["users.json"], StringComparison.Ordinal);
    }

    private static Task<string> UserRowsAsync(ParleyApp on) => on.DbAsync(async db =>
        $"users={await db.Users.CountAsync()}, invitations={await db.Invitations.IgnoreQueryFilters().CountAsync()}, audit={await db.AuditEntries.IgnoreQueryFilters().CountAsync()}");

    private static async Task<HttpClient> SetUpOwnerAsync(ParleyApp on, string email)
    {
        var client = Sessions.Browser(on);
        var token = Sessions.TokenOf(await Sessions.SetupUrlAsync(on));
        var session = await (await client.PostJsonAsync("/v1/auth/setup", new { setup_token = token, email, password = Sessions.Password, name = "New Owner" }))
            .JsonAsync(HttpStatusCode.Created);
        client.DefaultRequestHeaders.Add(Sessions.CsrfHeader, (string)session["csrf_token"]!);
        return client;
    }

    /// <summary>Replaces a file of the archive and updates its SHA-256 and count in the manifest, as a careful editor would.</summary>
    private static void Rewrite(Dictionary<string, string> archive, string file, string text)
    {
        archive[file] = text;
        var manifest = JsonNode.Parse(archive["manifest.json"])!;
        var entry = manifest["files"]!.AsArray().Single(f => (string?)f!["name"] == file)!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
        entry["count"] = text.StartsWith('[') ? JsonNode.Parse(text)!.AsArray().Count : text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        archive["manifest.json"] = manifest.ToJsonString();
    }
}
