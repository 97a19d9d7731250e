namespace Parley.Server.Features.Leads;

public static class LeadSetup
{
    public static IServiceCollection AddLeads(this IServiceCollection services)
    {
        services.AddOptions<LeadOptions>().BindConfiguration(LeadOptions.Section);
        services.AddScoped<LeadCapture>();
        return services;
    }
}
