using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using TaskEvents.LoadTests.Channels;
using TaskEvents.LoadTests.Cli;
using TaskEvents.LoadTests.Measurement;
using TaskEvents.Testing;

namespace TaskEvents.LoadTests.Targets;

/// <summary>
/// The peer: nginx with Debian's Nchan module, started by the harness on loopback at a free port from a generated config in a
/// temp folder (an EventSource subscriber location and an HTTP publisher location), stopped and removed afterwards.
/// </summary>
internal sealed class NchanServer : SystemUnderTest
{
    public const string InstallHint = "apt-get install nginx-light libnginx-mod-nchan";
    private const string Nginx = "/usr/sbin/nginx";
    private const string ModuleDirectory = "/usr/lib/nginx/modules";
    private const string Module = ModuleDirectory + "/ngx_nchan_module.so";

    private readonly Process _process;
    private readonly string _directory;
    private readonly Uri _address;
    private readonly int _workers;

    private NchanServer(Process process, string directory, Uri address, int workers)
    {
        _process = process;
        _directory = directory;
        _address = address;
        _workers = workers;
    }

    public override string Description => $"nginx + Nchan (Debian packages) at {_address} ({_workers} workers, master pid {_process.Id})";

    public override Uri Address => _address;

    public override IReadOnlyList<ObservedProcess> Processes =>
        [new("nginx", "nginx-master", _process.Id), .. WorkerPids().Select((pid, i) => new ObservedProcess("nginx", $"nginx-worker-{i}", pid))];

    public static async Task<NchanServer> StartAsync(int maxConnections, int workers, CancellationToken cancellationToken)
    {
        if (!File.Exists(Nginx))
        {
            throw new UsageException($"--target nchan needs nginx ({Nginx} is missing): {InstallHint}");
        }

        if (!File.Exists(Module))
        {
            throw new UsageException($"--target nchan needs the Nchan module ({Module} is missing): {InstallHint}");
        }

        var port = FreePort();
        var directory = Directory.CreateTempSubdirectory("taskevents-nchan-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), Config(directory, port, workers, maxConnections), cancellationToken);
        var start = new ProcessStartInfo(Nginx)
        {
            ArgumentList = { "-p", directory, "-c", Path.Combine(directory, "nginx.conf"), "-e", Path.Combine(directory, "error.log") },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new UsageException($"Could not start {Nginx}.");
        var server = new NchanServer(process, directory, new Uri($"http://127.0.0.1:{port}"), workers);
        try
        {
            await server.WaitUntilListeningAsync(port, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public override IEventChannel CreateChannel() => new NchanChannel(_address);

    public override async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker still closing its log; the temp folder is the OS's to clean.
        }
    }

    private static string Config(string directory, int port, int workers, int maxConnections) => string.Create(CultureInfo.InvariantCulture, $$"""
        load_module {{Module}};
        daemon off;
        worker_processes {{workers}};
        worker_rlimit_nofile {{maxConnections * 2 + 1024}};
        user root;
        pid {{directory}}/nginx.pid;
        error_log {{directory}}/error.log warn;
        events { worker_connections {{maxConnections + 1024}}; }
        http {
            access_log off;
            client_body_temp_path {{directory}}/body;
            proxy_temp_path {{directory}}/proxy;
            fastcgi_temp_path {{directory}}/fastcgi;
            uwsgi_temp_path {{directory}}/uwsgi;
            scgi_temp_path {{directory}}/scgi;
            nchan_max_reserved_memory 256M;
            server {
                listen 127.0.0.1:{{port}};
                location ~ ^/sub/([A-Za-z0-9_-]+)$ {
                    nchan_subscriber eventsource;
                    nchan_channel_id $1;
                    nchan_eventsource_ping_interval 30;
                }
                location ~ ^/pub/([A-Za-z0-9_-]+)$ {
                    nchan_publisher http;
                    nchan_channel_id $1;
                    nchan_message_buffer_length 2000;
                    nchan_message_timeout 10m;
                }
            }
        }
        """);

    private async Task WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(15))
        {
            if (_process.HasExited)
            {
                var log = File.Exists(Path.Combine(_directory, "error.log")) ? await File.ReadAllTextAsync(Path.Combine(_directory, "error.log"), cancellationToken) : "";
                throw new UsageException($"nginx exited at startup ({_process.ExitCode}): {(await _process.StandardError.ReadToEndAsync(cancellationToken)).Trim()} {log.Trim()} (needs {InstallHint})");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }

        throw new UsageException($"nginx did not listen on 127.0.0.1:{port} within 15 s.");
    }

    private IEnumerable<int> WorkerPids() => LinuxProcesses.ChildrenOf(_process.Id);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
