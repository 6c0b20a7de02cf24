using System.Net.Sockets;
using MultilateralFlows.Testing;

namespace MultilateralFlows.Benchmarks;

/// <summary>
/// Ends the benchmark, with the host's last output, when a host it started is gone: its rounds would otherwise wait for
/// their time-outs (twenty minutes) before anything is said. Gone means its port refuses connections twice in a row;
/// a host that is slow to answer on a busy machine is only slow. Stop the watch before stopping the host.
/// </summary>
public sealed class HostWatch : IAsyncDisposable
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    readonly HostProcess host;
    readonly CancellationTokenSource stop = new();
    readonly Task loop;

    public HostWatch(HostProcess host)
    {
        this.host = host;
        loop = Task.Run(WatchAsync);
    }

    async Task WatchAsync()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var refusals = 0;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, stop.Token);
                using var response = await client.GetAsync($"{host.BaseUrl}/api/health", stop.Token);
                refusals = 0;
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                if (++refusals >= 2)
                {
                    Fail();
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Slow or reset under load: still there.
            }
        }
    }

    void Fail()
    {
        var output = host.AllOutput.Split('\n');
        Console.Error.WriteLine(
            $"The {host.Kind} host on port {host.Port} (task hub {host.TaskHub}) is gone: it refuses connections. " +
            "The benchmark stops; the host's last output:");
        Console.Error.WriteLine(string.Join('\n', output.TakeLast(40)));
        // The hosts, Azurite and the Functions host's worker are ended by their guards once this process is gone.
        Environment.Exit(3);
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}
