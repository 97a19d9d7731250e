using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Data.Protection;
using Parley.Server.Features.Exports;
using Parley.Server.Infrastructure.Auth;

namespace Parley.Server.Features.Leads;

/// <summary>
/// <c>GET /v1/leads/export.csv</c>: the lead list with its filters as one CSV file, for a spreadsheet. The export API
/// (<c>/v1/export/leads.csv</c>) filters only by time and bot; this one takes the list's filters (status, score, email).
/// Its rows are the export's lead records written by the same CSV writer, so both files have the same columns.
/// </summary>
public static class LeadCsvDownload
{
    public const string ContentType = "text/csv";
    private const int BatchSize = 500;

    public static async Task DownloadAsync(
        HttpContext http, ParleyDbContext db, FieldCipher cipher, Caller caller, [AsParameters] LeadFilter filter, CancellationToken cancellationToken)
    {
        // Validated before the first byte, so bad filters still answer 400 problem+json.
        var query = filter.Apply(db, cipher);
        var piiVisible = caller.MayReadPii();
        http.Response.ContentType = RecordWriter.ContentType("csv");
        http.Response.Headers.ContentDisposition = "attachment; filename=\"leads.csv\"";
        http.Response.Headers["X-Parley-Pii"] = piiVisible ? "included" : "omitted";
        var writer = RecordWriter.For("csv", http.Response.Body, ExportEntities.Leads, piiVisible);
        writer.Begin();
        string? before = null;
        while (true)
        {
            var page = before is null ? query : query.Where(l => string.Compare(l.Id, before) < 0);
            var rows = await page.OrderByDescending(l => l.Id).Take(BatchSize).ToListAsync(cancellationToken);
            foreach (var lead in rows)
            {
                writer.Write(LeadRecord.From(lead, piiVisible));
            }
            await writer.FlushAsync(cancellationToken);
            if (rows.Count < BatchSize)
            {
                break;
            }
            before = rows[^1].Id;
        }
        writer.End(null);
        await writer.FlushAsync(cancellationToken);
    }
}
