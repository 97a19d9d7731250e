using Microsoft.EntityFrameworkCore;
using Parley.Server.Tests.Infrastructure;

namespace Parley.Server.Tests.Features.Imports.Platforms;

internal static class PlatformImportCounts
{
    /// <summary>Every table's rows, the import records, the bots with a draft flow, notes, leads and model providers: what an import that writes nothing leaves as it was.</summary>
    public static Task<string> Of(ParleyApp app) => app.DbAsync(async db =>
        await app.RowCountsAsync() + $", imports={await db.ImportJobs.IgnoreQueryFilters().CountAsync()}"
        + $", drafts={await db.Bots.IgnoreQueryFilters().CountAsync(b => b.FlowDraftJson != null)}"
        + $", notes={await db.ConversationNotes.IgnoreQueryFilters().CountAsync()}, leads={await db.Leads.IgnoreQueryFilters().CountAsync()}"
        + $", model_providers={await db.ModelProviders.IgnoreQueryFilters().CountAsync()}");
}
