using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Errors;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Contacts;

/// <summary>The data subject's rights: a copy of everything about one person, and erasure.</summary>
public static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        contacts.MapGet("/{id}", GetContact).RequireScope(Scopes.ContactsRead)
            .WithName("GetContact")
            .WithSummary("Read one contact")
            .WithDescription("The contact behind conversations, leads and bookings. `external_id`, `name`, `email`, `phone` and `attributes` are personal data: they are in clear only for callers with the `agent` or `export:pii` scope (agents, admins, owners); for others (viewers, narrow keys) they are null and `pii_hidden` is true. 404 when the workspace has no such contact.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        contacts.MapGet("/{id}/export", ExportContact).RequireScope(Scopes.ContactsRead)
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/json")
            .WithName("ExportContact")
            .WithSummary("Export everything about one contact")
            .WithDescription("The contact, their conversations, the messages and the events of those conversations, their leads and bookings, as one JSON document. The personal fields of the contact, leads and bookings (`name`, `email`, `phone`, `attributes`, `custom`, `notes`…) are included only for callers with the `agent` or `export:pii` scope, as on `GET /v1/contacts/{id}`; for others they are left out.");
        contacts.MapDelete("/{id}", EraseContact).RequireScope(Scopes.ContactsWrite)
            .WithName("EraseContact")
            .WithSummary("Erase a contact's personal data")
            .WithDescription("Blanks the contact's PII (also on their leads and bookings) and the text of their messages, scrubs it from the events of their conversations, and records a `contact.erased` event without the erased data. Idempotent.");
        return api;
    }

    public static async Task<Ok<ContactResponse>> GetContact(string id, ParleyDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        var contact = await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken)
            ?? throw ApiException.NotFound("contact", id);
        var clear = caller.MayReadPii();
        return TypedResults.Ok(new ContactResponse(
            contact.Id, clear ? contact.ExternalId : null, clear ? contact.Name : null, clear ? contact.Email : null, clear ? contact.Phone : null,
            clear ? contact.Attributes : null, !clear, contact.CreatedAt, contact.LastSeenAt));
    }

    // Written as untyped JSON: the records carry raw event payloads (JsonElement), which the document generator cannot
    // describe; docs/export-format.md does.
    public static async Task<IResult> ExportContact(ContactDataExport export, Caller caller, string id, CancellationToken cancellationToken) =>
        Results.Json(await export.ExportAsync(id, caller.MayReadPii(), cancellationToken), ApiJson.Options);

    public static async Task<ContactErasureResult> EraseContact(ContactEraser eraser, string id, CancellationToken cancellationToken) =>
        await eraser.EraseAsync(id, cancellationToken);
}
