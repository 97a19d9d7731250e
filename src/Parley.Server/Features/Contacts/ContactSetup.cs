namespace Parley.Server.Features.Contacts;

public static class ContactSetup
{
    public static IServiceCollection AddContacts(this IServiceCollection services)
    {
        services.AddScoped<ContactDataExport>();
        services.AddScoped<ContactEraser>();
        return services;
    }
}
