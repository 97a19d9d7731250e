using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Parley.Data.Entities;

namespace Parley.Data;

/// <summary>The tables of dashboard accounts: Identity's users under plain names, invitations and the audit log.</summary>
internal static class AccountModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("Users");
            e.Property(u => u.Role).HasMaxLength(20);
            e.Property(u => u.Name).HasMaxLength(200);
            e.HasIndex(u => new { u.WorkspaceId, u.Id });
        });
        modelBuilder.Entity<IdentityUserClaim<string>>().ToTable("UserClaims");
        modelBuilder.Entity<IdentityUserLogin<string>>().ToTable("UserLogins");
        modelBuilder.Entity<IdentityUserToken<string>>().ToTable("UserTokens");

        modelBuilder.Entity<Invitation>(e =>
        {
            e.Property(i => i.Email).HasMaxLength(256);
            e.Property(i => i.Role).HasMaxLength(20);
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => new { i.WorkspaceId, i.Id });
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.Property(a => a.Action).HasMaxLength(60);
            e.Property(a => a.Detail).HasMaxLength(500);
            e.Property(a => a.IpAddress).HasMaxLength(64);
            e.HasIndex(a => new { a.WorkspaceId, a.Id });
        });
    }
}
