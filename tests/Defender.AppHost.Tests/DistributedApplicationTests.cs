using Defender.AppHost.Hosting;

namespace Defender.AppHost.Tests;

public sealed class DistributedApplicationTests
{
    private readonly List<string> _events = [];
    private readonly DistributedApplicationBuilder _builder = DistributedApplication.CreateBuilder(Array.Empty<string>());

    [Fact]
    public async Task Starts_each_resource_once_its_dependencies_are_ready_and_stops_dependants_first()
    {
        var storage = Add("storage");
        var simulator = Add("simulator");
        Add("api", storage);
        Add("silo", storage, simulator);
        using var stop = new CancellationTokenSource();

        var exitCode = await _builder.Build().RunAsync(_ => stop.CancelAsync(), stop.Token);

        Assert.Equal(DistributedApplication.ExitCodeStopped, exitCode);
        Assert.True(Index("ready storage") < Index("start api"));
        Assert.True(Index("ready storage") < Index("start silo") && Index("ready simulator") < Index("start silo"));
        Assert.True(Index("stopped silo") < Index("stop storage") && Index("stopped api") < Index("stop storage"));
        Assert.True(Index("stopped silo") < Index("stop simulator"));
    }

    [Fact]
    public async Task A_resource_that_fails_to_start_keeps_its_dependants_from_starting_and_exits_with_1()
    {
        var storage = Add("storage", failStart: true);
        Add("api", storage);
        var simulator = Add("simulator");

        var exitCode = await _builder.Build().RunAsync();

        Assert.Equal(DistributedApplication.ExitCodeFailed, exitCode);
        Assert.DoesNotContain("start api", _events);
        Assert.Contains("stopped simulator", _events); // what did start is stopped again
        Assert.NotNull(simulator);
    }

    [Fact]
    public void A_dependency_cycle_is_refused_when_building()
    {
        var a = new FakeResource("a", _events, false);
        var b = new FakeResource("b", _events, false, a);
        a.Waits.Add(b);
        _builder.AddResource(a);
        _builder.AddResource(b);

        Assert.Throws<InvalidOperationException>(() => _builder.Build());
    }

    [Fact]
    public void Waiting_for_a_resource_that_was_never_added_is_refused_when_building()
    {
        Add("api", new FakeResource("storage", _events, false));

        Assert.Throws<InvalidOperationException>(() => _builder.Build());
    }

    private FakeResource Add(string name, params IResource[] dependencies) => Add(name, false, dependencies);

    private FakeResource Add(string name, bool failStart, params IResource[] dependencies) =>
        _builder.AddResource(new FakeResource(name, _events, failStart, dependencies));

    private int Index(string what)
    {
        lock (_events)
        {
            var index = _events.IndexOf(what);
            Assert.True(index >= 0, $"'{what}' did not happen: {string.Join(", ", _events)}");
            return index;
        }
    }

    private sealed class FakeResource(string name, List<string> events, bool failStart, params IResource[] dependencies) : IResource
    {
        public List<IResource> Waits { get; } = [.. dependencies];

        public string Name => name;

        public IReadOnlyList<IResource> Dependencies => Waits;

        public async Task StartAsync(CancellationToken cancellationToken)
        {
            Record("start");
            await Task.Yield();
            if (failStart)
            {
                throw new InvalidOperationException("does not start");
            }

            Record("ready");
        }

        public async Task StopAsync(CancellationToken forceStop)
        {
            Record("stop");
            await Task.Yield();
            Record("stopped");
        }

        private void Record(string what)
        {
            lock (events)
            {
                events.Add($"{what} {name}");
            }
        }
    }
}
