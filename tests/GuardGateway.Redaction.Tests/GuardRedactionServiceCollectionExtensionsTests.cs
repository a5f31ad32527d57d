using GuardGateway.Core.Redaction;
using GuardGateway.Redaction.DependencyInjection;
using GuardGateway.Redaction.Detection;
using Microsoft.Extensions.DependencyInjection;

namespace GuardGateway.Redaction.Tests;

public sealed class GuardRedactionServiceCollectionExtensionsTests
{
    [Fact]
    public void AddGuardRedaction_Empty_RegistersRedactorAndScanner()
    {
        var services = new ServiceCollection().AddGuardRedaction().AddGuardRedaction();
        Assert.Single(services, d => d.ServiceType == typeof(IRedactor));
        Assert.Single(services, d => d.ServiceType == typeof(PersonalDataScanner));
        Assert.Same(PersonalDataScanner.Default, services.Single(d => d.ServiceType == typeof(PersonalDataScanner)).ImplementationInstance);
    }

    [Fact]
    public void AddGuardRedaction_ExistingRedactor_KeepsIt()
    {
        var existing = new ServiceDescriptor(typeof(IRedactor), typeof(Redactor), ServiceLifetime.Transient);
        IServiceCollection services = new ServiceCollection();
        services.Add(existing);
        services.AddGuardRedaction();
        Assert.Same(existing, Assert.Single(services, d => d.ServiceType == typeof(IRedactor)));
    }
}
