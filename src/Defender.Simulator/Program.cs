using Defender.Simulator.Hosting;

var builder = SimulatorApp.CreateBuilder(args);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapDefenderSimulator();
app.MapHealthChecks("/health");
app.Run();
