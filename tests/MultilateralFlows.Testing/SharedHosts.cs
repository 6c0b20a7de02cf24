namespace MultilateralFlows.Testing;

/// <summary>
/// One host of each kind for a whole test assembly, on the shared Azurite, started when first asked for: tests that need
/// nothing special of a host share it (their rounds have unique ids, and they read e-mails by round). Starting a
/// Functions host costs seconds of processor time, so sharing is what keeps the suite fast on two cores.
/// </summary>
public static class SharedHosts
{
    static readonly Dictionary<HostKind, Lazy<Task<HostProcess>>> Hosts = Enum.GetValues<HostKind>().ToDictionary(
        kind => kind,
        kind => new Lazy<Task<HostProcess>>(async () =>
        {
            var host = await HostProcess.StartAsync(kind, await SharedAzurite.GetAsync());
            AppDomain.CurrentDomain.ProcessExit += (_, _) => host.Kill();
            return host;
        }));

    public static Task<HostProcess> GetAsync(HostKind kind) => Hosts[kind].Value;
}
