using Defender.Mssp.Records;
using Defender.Mssp.Tenants;

namespace Defender.Mssp.Defender.Tests.Fakes;

internal static class TestTenants
{
    public const string ClientId = "aaaaaaaa-0000-0000-0000-000000000001";

    public static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly RecordWindow Day = new(Start, Start.AddDays(1));

    public static TenantSettings Tenant(string tenantId = "11111111-1111-1111-1111-111111111111", string secret = "secret-value-1") =>
        new() { TenantId = tenantId, ClientId = ClientId, ClientSecret = new Secret(secret) };

    public static async Task<List<T>> ToListAsync<T>(this IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }
}
