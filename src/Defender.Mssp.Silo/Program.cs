using Defender.Mssp.Defender;
using Defender.Mssp.Runtime.Storage;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
await builder.AddStorageConnectionAsync();
builder.Services.AddBlobGrainStorage(builder.Configuration);
builder.Services.AddDefenderClients(builder.Configuration);
builder.Services.AddRecordSinks(builder.Configuration);
builder.AddTenantGrainCluster();

var app = builder.Build();
app.MapDefaultEndpoints();
await app.RunAsync();
