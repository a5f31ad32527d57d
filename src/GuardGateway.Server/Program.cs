using GuardGateway.Server.Hosting;

// `dotnet run --project src/GuardGateway.Server` serves on 127.0.0.1:50051 (gRPC) and 127.0.0.1:8080 (HTTP)
// with the planted demo guard and the shipped policies; see appsettings.json for every setting.
var app = GuardGatewayApp.Build(args);
await app.RunAsync();
