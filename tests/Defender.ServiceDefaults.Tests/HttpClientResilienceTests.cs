using System.Net;
using System.Net.Http.Headers;
using Defender.Mssp.Defender.Http;
using Defender.ServiceDefaults.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Defender.ServiceDefaults.Tests;

/// <summary>The default HttpClient pipeline: transient failures are retried, except where that would be wrong.</summary>
public sealed class HttpClientResilienceTests
{
    private static readonly Uri Target = new("http://service.test/resource");

    [Fact]
    public async Task Transient_answers_and_broken_connections_are_retried_until_one_succeeds()
    {
        var handler = new ScriptedHandler(
            _ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            _ => throw new HttpRequestException("connection reset"),
            _ => new HttpResponseMessage(HttpStatusCode.OK));
        using var services = Services(handler);

        var response = await Client(services).GetAsync(Target);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, handler.Attempts);
    }

    [Fact]
    public async Task Retries_stop_after_the_configured_number()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.BadGateway));
        using var services = Services(handler, new() { ["HttpClientDefaults:Resilience:MaxRetryAttempts"] = "2" });

        var response = await Client(services).GetAsync(Target);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(3, handler.Attempts);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task Answers_that_another_try_would_not_change_are_returned_at_once(HttpStatusCode status)
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(status));
        using var services = Services(handler);

        var response = await Client(services).GetAsync(Target);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task A_post_is_not_repeated()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var services = Services(handler);

        var response = await Client(services).PostAsync(Target, new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task A_retry_after_within_the_limit_is_honoured_and_a_longer_one_is_left_to_the_caller()
    {
        var now = new ScriptedHandler(_ => Throttled(TimeSpan.Zero), _ => new HttpResponseMessage(HttpStatusCode.OK));
        var later = new ScriptedHandler(_ => Throttled(TimeSpan.FromHours(1)));
        using var retried = Services(now);
        using var handedBack = Services(later);

        Assert.Equal(HttpStatusCode.OK, (await Client(retried).GetAsync(Target)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Client(handedBack).GetAsync(Target)).StatusCode);
        Assert.Equal(1, later.Attempts);
    }

    [Theory]
    [InlineData(DefenderHttpClientNames.Api)]
    [InlineData(DefenderHttpClientNames.Token)]
    public async Task The_defender_clients_keep_their_own_pipeline_and_get_no_second_one(string name)
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var services = Services(handler);

        await Client(services, name).GetAsync(Target);

        Assert.Equal(1, handler.Attempts);
    }

    [Fact]
    public async Task Clients_can_be_excluded_by_configuration_or_by_code()
    {
        var handler = new ScriptedHandler(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        using var services = Services(
            handler,
            new() { ["HttpClientDefaults:Resilience:ExcludedClients:0"] = "configured" },
            collection => collection.ExcludeFromDefaultHttpClientResilience("coded"));

        await Client(services, "configured").GetAsync(Target);
        await Client(services, "coded").GetAsync(Target);

        Assert.Equal(2, handler.Attempts);
    }

    [Fact]
    public void The_default_exclusions_are_the_defender_clients_names()
    {
        Assert.Equal(
            [DefenderHttpClientNames.Api, DefenderHttpClientNames.Token],
            HttpClientResilienceOptions.DefaultExcludedClients.Order());
    }

    private static HttpResponseMessage Throttled(TimeSpan retryAfter)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter);
        return response;
    }

    private static HttpClient Client(ServiceProvider services, string name = "") =>
        services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    /// <summary>The defaults with no waiting between attempts, every client answered by <paramref name="handler"/>.</summary>
    private static ServiceProvider Services(
        ScriptedHandler handler, Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?> { ["HttpClientDefaults:Resilience:RetryBaseDelay"] = "00:00:00" };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build())
            .AddDefaultHttpClientResilience();
        services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => handler));
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>Answers attempt n with the n-th function (the last one repeats) and counts the attempts.</summary>
    private sealed class ScriptedHandler(params Func<HttpRequestMessage, HttpResponseMessage>[] answers) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var attempt = Interlocked.Increment(ref _attempts);
            return Task.FromResult(answers[Math.Min(attempt, answers.Length) - 1](request));
        }
    }
}
