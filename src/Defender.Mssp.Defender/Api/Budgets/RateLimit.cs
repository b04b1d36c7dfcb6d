namespace Defender.Mssp.Defender.Api.Budgets;

/// <summary>A documented limit: at most <see cref="Count"/> requests in any <see cref="Window"/>.</summary>
internal readonly record struct RateLimit(int Count, TimeSpan Window)
{
    public override string ToString() => $"{Count} per {Window}";
}
