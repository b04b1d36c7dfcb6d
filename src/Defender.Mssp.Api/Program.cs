var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTenantsApi();
builder.AddOperatorDashboard();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTenantsApi();
app.MapOperatorDashboard();
await app.RunAsync();
