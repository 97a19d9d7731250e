using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Components.WebAssembly.Hosting;
using MudBlazor.Services;
using Parley.Client;
using Parley.Dashboard;
using Parley.Dashboard.Shared;

var builder = WebAssemblyHostBuilder.CreateDefault(args);
builder.RootComponents.Add<App>("#app");
builder.RootComponents.Add<HeadOutlet>("head::after");

// The API is on the same origin as the dashboard: the browser sends the session cookie with every call.
var origin = new Uri(new Uri(builder.HostEnvironment.BaseAddress).GetLeftPart(UriPartial.Authority));
builder.Services.AddSingleton(new HttpClient { BaseAddress = origin });
builder.Services.AddSingleton(sp => new ParleyClient(sp.GetRequiredService<HttpClient>()));
builder.Services.AddSingleton<SessionState>();
builder.Services.AddMudServices();

await builder.Build().RunAsync();
