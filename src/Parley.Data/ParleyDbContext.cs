using System.Linq.Expressions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Parley.Data.Entities;
using Parley.Data.Protection;
using Parley.Data.Providers;
using Parley.Data.Tenancy;

namespace Parley.Data;

/// <summary>
/// The database. Contexts are pooled (<see cref="DatabaseRegistration.AddParleyDatabase"/>): each scope leases one for
/// its workspace (<see cref="ForWorkspace"/>) and gives it back when the scope ends, and what a lease leaves behind is
/// dropped then (<see cref="ILeaseStateInterceptor"/>).
/// </summary>
/// <param name="cipher">
/// Encrypts the personal fields; each cipher gets its own model (see <see cref="ParleyModelCacheKeyFactory"/>). A
/// singleton, which the pool passes to every context it makes. Null only at design time, where the model's schema is the
/// same.
/// </param>
public sealed class ParleyDbContext(DbContextOptions<ParleyDbContext> options, FieldCipher? cipher = null)
    : IdentityUserContext<User>(options), IDataProtectionKeyContext
{
    private readonly ILeaseStateInterceptor[] _leaseState =
        [.. options.FindExtension<CoreOptionsExtension>()?.Interceptors?.OfType<ILeaseStateInterceptor>() ?? []];

    /// <summary>
    /// The workspace of the scope that leased the context. It is entered once the caller is authenticated, which may be
    /// after the context was leased, so the filters read it at each query.
    /// </summary>
    private WorkspaceScope? _workspace;

    /// <summary>Whether the context is scoped to a workspace now: false in the pool, and at design time.</summary>
    private bool _leased;

    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Bot> Bots => Set<Bot>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<Conversation> Conversations => Set<Conversation>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<DomainEventRecord> Events => Set<DomainEventRecord>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<EmailNotification> EmailNotifications => Set<EmailNotification>();
    public DbSet<KnowledgeSource> KnowledgeSources => Set<KnowledgeSource>();
    public DbSet<KnowledgeChunk> KnowledgeChunks => Set<KnowledgeChunk>();
    public DbSet<KnowledgeChunkVector> KnowledgeChunkVectors => Set<KnowledgeChunkVector>();
    public DbSet<ExportJob> ExportJobs => Set<ExportJob>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<ModelProvider> ModelProviders => Set<ModelProvider>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<EncryptionKey> EncryptionKeys => Set<EncryptionKey>();
    public DbSet<Lead> Leads => Set<Lead>();
    public DbSet<Booking> Bookings => Set<Booking>();
    public DbSet<BookingSlotClaim> BookingSlotClaims => Set<BookingSlotClaim>();
    public DbSet<UsageCounter> UsageCounters => Set<UsageCounter>();
    public DbSet<UsageLimitAlert> UsageLimitAlerts => Set<UsageLimitAlert>();
    public DbSet<AnalyticsDailyRollup> AnalyticsDailyRollups => Set<AnalyticsDailyRollup>();
    public DbSet<AnalyticsStaleDay> AnalyticsStaleDays => Set<AnalyticsStaleDay>();
    public DbSet<AnalyticsRollupState> AnalyticsRollupStates => Set<AnalyticsRollupState>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ConversationNote> ConversationNotes => Set<ConversationNote>();
    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();
    public DbSet<WorkspaceAssignmentRules> AssignmentRules => Set<WorkspaceAssignmentRules>();
    public DbSet<StatusSample> StatusSamples => Set<StatusSample>();
    public DbSet<ModelCallHour> ModelCallHours => Set<ModelCallHour>();

    /// <summary>The cipher of the personal fields, or null at design time.</summary>
    public FieldCipher? Cipher => cipher;

    /// <summary>The workspace the context is scoped to, for tables the query filters do not cover (users).</summary>
    public string? ScopedWorkspaceId => _workspace?.WorkspaceId;

    /// <summary>Read by the query filters on every query, so one compiled model serves every workspace.</summary>
    private string? CurrentWorkspaceId => _workspace?.WorkspaceId;

    /// <summary>
    /// Scopes the context to <paramref name="workspace"/>: called on each lease from the pool, or once by code that
    /// makes a context of its own (the benchmarks). Disposing the context ends it.
    /// </summary>
    public ParleyDbContext ForWorkspace(WorkspaceScope workspace)
    {
        _workspace = workspace;
        _leased = true;
        return this;
    }

    public override void Dispose()
    {
        try
        {
            if (_leased)
            {
                Database.CurrentTransaction?.Dispose();
            }
        }
        finally
        {
            try
            {
                EndLease();
            }
            finally
            {
                base.Dispose();
            }
        }
    }

    public override async ValueTask DisposeAsync()
    {
        try
        {
            if (_leased && Database.CurrentTransaction is { } transaction)
            {
                await transaction.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                EndLease();
            }
            finally
            {
                await base.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// The scope is over and the context goes back to the pool (base.Dispose). A transaction it left open (the request
    /// failed before committing or rolling back) has been rolled back; now the interceptors forget what they kept for
    /// it, so the next scope to lease it sees nothing of this one's. That has to happen before the context is back in
    /// the pool: another scope may lease it the moment it is.
    /// </summary>
    private void EndLease()
    {
        if (!_leased)
        {
            return;
        }
        _leased = false;
        _workspace = null;
        // Every interceptor forgets, even after one has failed: the write gate, last, must be let go whatever happened.
        List<Exception>? failures = null;
        foreach (var interceptor in _leaseState)
        {
            try
            {
                interceptor.LeaseEnded(this);
            }
            catch (Exception ex)
            {
                (failures ??= []).Add(ex);
            }
        }
        if (failures is not null)
        {
            throw new AggregateException("Forgetting what a context's lease left behind failed.", failures);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UnixMicrosecondsConverter>();
        }
        else if (Database.IsNpgsql())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTimestampConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        var modelBuilder = builder;
        AccountModel.Configure(modelBuilder);

        modelBuilder.Entity<Workspace>(e =>
        {
            e.Property(w => w.Name).HasMaxLength(200);
        });

        modelBuilder.Entity<ApiKey>(e =>
        {
            e.Property(k => k.Kind).HasConversion<string>().HasMaxLength(20);
            e.HasIndex(k => k.TokenHash).IsUnique();
            e.HasIndex(k => new { k.WorkspaceId, k.Id });
        });

        modelBuilder.Entity<Bot>(e =>
        {
            e.ComplexProperty(b => b.Model);
            e.ComplexProperty(b => b.Theme);
            e.Property(b => b.FlowVersions).HasJsonConversion();
            e.Property(b => b.FlowDraftUpdatedBy).HasMaxLength(40);
            e.HasIndex(b => new { b.WorkspaceId, b.Id });
            e.HasQueryFilter(QueryFilters.NotDeleted, b => b.DeletedAt == null);
        });

        modelBuilder.Entity<Contact>(e =>
        {
            e.Property(c => c.Name).IsEncrypted(cipher);
            e.Property(c => c.Email).IsEncrypted(cipher);
            e.Property(c => c.Phone).IsEncrypted(cipher);
            e.Property(c => c.Attributes).HasJsonConversion(cipher);
            e.Property(c => c.EmailIndex).HasMaxLength(64);
            e.HasIndex(c => new { c.WorkspaceId, c.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
            e.HasIndex(c => new { c.WorkspaceId, c.EmailIndex });
        });

        modelBuilder.Entity<Lead>(e =>
        {
            e.Property(l => l.Name).IsEncrypted(cipher);
            e.Property(l => l.Email).IsEncrypted(cipher);
            e.Property(l => l.Phone).IsEncrypted(cipher);
            e.Property(l => l.Custom).HasJsonConversion(cipher);
            e.Property(l => l.PageUrl).IsEncrypted(cipher);
            e.Property(l => l.Referrer).IsEncrypted(cipher);
            e.Property(l => l.Utm).HasJsonConversion(cipher);
            e.Property(l => l.EmailIndex).HasMaxLength(64);
            e.Property(l => l.Status).HasMaxLength(20);
            e.Property(l => l.Company).HasMaxLength(200);
            e.Property(l => l.Version).IsConcurrencyToken();
            e.HasIndex(l => new { l.WorkspaceId, l.Id });
            e.HasIndex(l => new { l.WorkspaceId, l.EmailIndex }).IsUnique().HasFilter("\"EmailIndex\" IS NOT NULL");
            // The conversation list's has_lead and q filters look a conversation's leads up.
            e.HasIndex(l => l.ConversationId);
        });

        modelBuilder.Entity<Booking>(e =>
        {
            e.Property(b => b.Name).IsEncrypted(cipher);
            e.Property(b => b.Email).IsEncrypted(cipher);
            e.Property(b => b.Phone).IsEncrypted(cipher);
            e.Property(b => b.Notes).IsEncrypted(cipher);
            e.Property(b => b.Status).HasMaxLength(20);
            e.Property(b => b.TimeZone).HasMaxLength(100);
            e.HasIndex(b => new { b.WorkspaceId, b.Id });
            e.HasIndex(b => new { b.WorkspaceId, b.BotId, b.Start });
        });

        modelBuilder.Entity<BookingSlotClaim>(e =>
        {
            e.HasKey(c => new { c.BotId, c.SlotStart, c.Seat });
            e.HasIndex(c => c.BookingId).IsUnique();
        });

        modelBuilder.Entity<EncryptionKey>(e =>
        {
            e.Property(k => k.Id).HasMaxLength(40);
        });

        modelBuilder.Entity<Conversation>(e =>
        {
            // Page URLs and UTM values can carry an email or a name in their query; flow state holds the answers a
            // flow collected; the user agent helps single a visitor out.
            e.Property(c => c.PageUrl).IsEncrypted(cipher);
            e.Property(c => c.Referrer).IsEncrypted(cipher);
            e.Property(c => c.Utm).HasJsonConversion(cipher);
            e.Property(c => c.UserAgent).IsEncrypted(cipher);
            e.Property(c => c.FlowStateJson).IsEncrypted(cipher);
            e.Property(c => c.Version).IsConcurrencyToken();
            e.HasIndex(c => new { c.WorkspaceId, c.Id });
            e.HasIndex(c => new { c.WorkspaceId, c.BotId, c.Id });
            e.HasIndex(c => new { c.WorkspaceId, c.ContactId });
            e.HasIndex(c => new { c.WorkspaceId, c.Status, c.HandoffRequestedAt });
        });

        modelBuilder.Entity<Message>(e =>
        {
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(20);
            e.Property(m => m.Text).IsEncrypted(cipher);
            e.Property(m => m.QuickReplies).HasJsonConversion();
            e.Property(m => m.Citations).HasJsonConversion();
            e.Property(m => m.Timings).HasJsonConversion();
            e.Property(m => m.Usage).HasJsonConversion();
            e.Property(m => m.Flags).HasJsonConversion();
            e.HasIndex(m => new { m.ConversationId, m.Id });
        });

        modelBuilder.Entity<ConversationNote>(e =>
        {
            e.Property(n => n.Text).IsEncrypted(cipher);
            e.Property(n => n.AuthorName).HasMaxLength(200);
            e.HasIndex(n => new { n.ConversationId, n.Id });
            e.HasIndex(n => new { n.WorkspaceId, n.Id });
        });

        modelBuilder.Entity<CannedResponse>(e =>
        {
            e.Property(r => r.Shortcut).HasMaxLength(CannedResponseLimits.ShortcutLength);
            e.Property(r => r.Text).HasMaxLength(CannedResponseLimits.TextLength);
            e.HasIndex(r => new { r.WorkspaceId, r.Shortcut }).IsUnique();
        });

        modelBuilder.Entity<DomainEventRecord>(e =>
        {
            e.ToTable("Events");
            // Nearly every event carries a contact, a lead, a booking, a transcript or a page URL: all are encrypted,
            // so that no event type can be forgotten.
            e.Property(d => d.DataJson).IsEncrypted(cipher);
            e.HasIndex(d => new { d.WorkspaceId, d.Id });
            e.HasIndex(d => new { d.WorkspaceId, d.Type, d.Id });
            // The conversation list's unanswered filter looks for one type of event in a conversation.
            e.HasIndex(d => new { d.ConversationId, d.Type });
        });

        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.HasKey(r => new { r.WorkspaceId, r.Key });
            e.Property(r => r.Key).HasMaxLength(255);
            e.Property(r => r.Headers).HasJsonConversion();
            e.Property(r => r.ResponseJson).IsEncrypted(cipher);
            e.HasIndex(r => r.CreatedAt);
        });

        modelBuilder.Entity<WebhookEndpoint>(e =>
        {
            e.Property(w => w.Url).HasMaxLength(2048);
            e.HasIndex(w => new { w.WorkspaceId, w.Id });
        });

        modelBuilder.Entity<WebhookDelivery>(e =>
        {
            e.HasIndex(d => new { d.Status, d.NextAttemptAt });
            e.HasIndex(d => new { d.EndpointId, d.Id });
            e.HasIndex(d => new { d.EventId, d.EndpointId }).IsUnique();
        });

        modelBuilder.Entity<WebhookAttempt>(e =>
        {
            // Receivers often answer with the body they were sent.
            e.Property(a => a.ResponseExcerpt).IsEncrypted(cipher);
            e.HasIndex(a => new { a.DeliveryId, a.Id });
            e.HasIndex(a => new { a.EndpointId, a.AttemptedAt });
        });

        modelBuilder.Entity<EmailNotification>(e =>
        {
            e.HasIndex(n => new { n.Status, n.NextAttemptAt });
            e.HasIndex(n => n.EventId);
        });

        modelBuilder.Entity<KnowledgeSource>(e =>
        {
            e.Property(k => k.Type).HasMaxLength(20);
            e.Property(k => k.Status).HasMaxLength(20);
            e.Property(k => k.Title).HasMaxLength(300);
            e.Property(k => k.Url).HasMaxLength(2048);
            e.HasIndex(k => new { k.WorkspaceId, k.BotId, k.Id });
            e.HasIndex(k => new { k.Status, k.UpdatedAt });
        });

        modelBuilder.Entity<KnowledgeChunk>(e =>
        {
            e.HasIndex(c => new { c.SourceId, c.Ordinal });
            e.HasIndex(c => c.BotId);
        });

        modelBuilder.Entity<KnowledgeChunkVector>(e =>
        {
            e.HasKey(v => v.ChunkId);
            e.Property(v => v.ChunkId).ValueGeneratedNever();
            e.Property(v => v.Model).HasMaxLength(100);
            e.Property(v => v.ContentHash).HasMaxLength(64);
            e.HasOne<KnowledgeChunk>().WithOne().HasForeignKey<KnowledgeChunkVector>(v => v.ChunkId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(v => new { v.BotId, v.Model });
            e.HasIndex(v => new { v.BotId, v.ContentHash });
        });

        modelBuilder.Entity<ExportJob>(e =>
        {
            e.Property(j => j.BotIds).HasJsonConversion();
            e.Property(j => j.Counts).HasJsonConversion();
            e.HasIndex(j => new { j.Status, j.CreatedAt });
            e.HasIndex(j => new { j.WorkspaceId, j.Id });
        });

        modelBuilder.Entity<ModelProvider>(e =>
        {
            e.Property(p => p.Name).HasMaxLength(100);
            e.Property(p => p.Kind).HasMaxLength(20);
            e.Property(p => p.BaseUrl).HasMaxLength(2048);
            e.Property(p => p.ApiKeyHint).HasMaxLength(8);
            e.Property(p => p.DefaultModel).HasMaxLength(200);
            e.HasIndex(p => new { p.WorkspaceId, p.Id });
        });

        modelBuilder.Entity<ImportJob>(e =>
        {
            e.HasIndex(j => new { j.WorkspaceId, j.Id });
        });

        modelBuilder.Entity<UsageCounter>(e =>
        {
            e.HasKey(u => new { u.WorkspaceId, u.Period, u.Metric });
            e.Property(u => u.Period).HasMaxLength(7);
            e.Property(u => u.Metric).HasMaxLength(40);
        });

        modelBuilder.Entity<UsageLimitAlert>(e =>
        {
            e.HasKey(a => new { a.WorkspaceId, a.Period, a.Metric, a.Threshold });
            e.Property(a => a.Period).HasMaxLength(7);
            e.Property(a => a.Metric).HasMaxLength(40);
            // Set once, by the node whose save finds it still null; the others' saves conflict and record nothing.
            e.Property(a => a.EventId).IsConcurrencyToken();
            // The worker's poll reads only the alerts still waiting for their event, in this order.
            e.HasIndex(a => new { a.Period, a.Threshold }).HasFilter("\"EventId\" IS NULL");
        });

        modelBuilder.Entity<AnalyticsDailyRollup>(e =>
        {
            e.HasKey(r => new { r.WorkspaceId, r.Day, r.BotId });
            e.Property(r => r.HandoffWaitSeconds).HasJsonConversion();
            e.Property(r => r.GuardrailFlags).HasJsonConversion();
            e.Property(r => r.Tokens).HasJsonConversion();
            e.Property(r => r.StageLatency).HasJsonConversion();
        });

        modelBuilder.Entity<AnalyticsStaleDay>(e =>
        {
            e.HasIndex(d => new { d.WorkspaceId, d.Day });
        });

        modelBuilder.Entity<AnalyticsRollupState>(e =>
        {
            e.HasKey(s => s.WorkspaceId);
        });

        modelBuilder.Entity<StatusSample>(e =>
        {
            e.HasKey(s => new { s.Component, s.Minute });
            e.Property(s => s.Component).HasMaxLength(40);
            e.Property(s => s.Status).HasMaxLength(20);
            e.HasIndex(s => s.Minute);
        });

        modelBuilder.Entity<ModelCallHour>(e =>
        {
            e.HasKey(h => new { h.WorkspaceId, h.ProviderId, h.Hour });
            e.Property(h => h.ProviderId).HasMaxLength(40);
            e.Property(h => h.LastFailure).HasMaxLength(300);
        });

        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            if (typeof(IWorkspaceOwned).IsAssignableFrom(entity.ClrType))
            {
                modelBuilder.Entity(entity.ClrType).HasQueryFilter(QueryFilters.Workspace, WorkspaceFilter(entity.ClrType));
            }
            if (Database.IsNpgsql())
            {
                // Ids are compared and sorted as byte strings: they are time-ordered in the "C" collation only.
                foreach (var property in entity.GetProperties())
                {
                    if (property.ClrType == typeof(string) && (property.Name == "Id" || property.Name.EndsWith("Id", StringComparison.Ordinal)))
                    {
                        property.SetCollation("C");
                    }
                }
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        UpdateEmailIndexes();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        UpdateEmailIndexes();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    /// <summary>Keeps every blind index in step with its email, whoever changed the email.</summary>
    private void UpdateEmailIndexes()
    {
        if (cipher is null)
        {
            return;
        }
        foreach (var entry in ChangeTracker.Entries<Contact>().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            entry.Entity.EmailIndex = cipher.EmailIndex(entry.Entity.Email);
        }
        foreach (var entry in ChangeTracker.Entries<Lead>().Where(e => e.State is EntityState.Added or EntityState.Modified))
        {
            entry.Entity.EmailIndex = cipher.EmailIndex(entry.Entity.Email);
        }
    }

    private LambdaExpression WorkspaceFilter(Type entityType)
    {
        var parameter = Expression.Parameter(entityType, "e");
        var owner = Expression.Property(parameter, nameof(IWorkspaceOwned.WorkspaceId));
        var current = Expression.Property(Expression.Constant(this), nameof(CurrentWorkspaceId));
        return Expression.Lambda(Expression.Equal(owner, current), parameter);
    }
}
