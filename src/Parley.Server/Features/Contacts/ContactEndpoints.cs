using System.Text.Json;
using Parley.Server.Infrastructure.Auth;
using Parley.Server.Infrastructure.Http;

namespace Parley.Server.Features.Contacts;

/// <summary>The data subject's rights: a copy of everything about one person, and erasure.</summary>
public static class ContactEndpoints
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder api)
    {
        var contacts = api.MapGroup("/contacts").WithTags("Contacts");
        contacts.MapGet("/{id}/export", ExportContact).RequireScope(Scopes.ContactsRead)
            .Produces<JsonElement>(StatusCodes.Status200OK, "application/json")
            .WithName("ExportContact")
            .WithSummary("Export everything about one contact")
            .WithDescription("The contact with its PII, their conversations, the messages and the events of those conversations, their leads and bookings, as one JSON document.");
        contacts.MapDelete("/{id}", EraseContact).RequireScope(Scopes.ContactsWrite)
            .WithName("EraseContact")
            .WithSummary("Erase a contact's personal data")
            .WithDescription("Blanks the contact's PII (also on their leads and bookings) and the text of their messages, scrubs it from the events of their conversations, and records a `contact.erased` event without the erased data. Idempotent.");
        return api;
    }

    // Written as untyped JSON: the records carry raw event payloads (JsonElement), which the document generator cannot
    // describe; docs/export-format.md does.
    public static async Task<IResult> ExportContact(ContactDataExport export, string id, CancellationToken cancellationToken) =>
        Results.Json(await export.ExportAsync(id, cancellationToken), ApiJson.Options);

    public static async Task<ContactErasureResult> EraseContact(ContactEraser eraser, string id, CancellationToken cancellationToken) =>
        await eraser.EraseAsync(id, cancellationToken);
}
