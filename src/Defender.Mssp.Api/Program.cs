var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTenantsApi();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTenantsApi();
await app.RunAsync();
