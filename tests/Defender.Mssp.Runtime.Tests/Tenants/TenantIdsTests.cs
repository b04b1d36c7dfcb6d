using Defender.Mssp.Runtime.Tenants;

namespace Defender.Mssp.Runtime.Tests.Tenants;

public sealed class TenantIdsTests
{
    [Theory]
    [InlineData("6F1C2B9E-1D3A-4C55-9A0E-2B7F5D8C1E01")]
    [InlineData("{6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01}")]
    [InlineData("6f1c2b9e1d3a4c559a0e2b7f5d8c1e01")]
    public void Every_guid_spelling_has_one_canonical_form(string spelling)
    {
        Assert.Equal("6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01", TenantIds.Normalize(spelling));
        Assert.False(TenantIds.IsCanonical(spelling));
    }

    [Theory]
    [InlineData("")]
    [InlineData("contoso")]
    [InlineData("../6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01")]
    [InlineData("6f1c2b9e-1d3a-4c55-9a0e-2b7f5d8c1e01/..")]
    public void Anything_else_is_not_a_tenant_id(string value)
    {
        Assert.False(TenantIds.TryNormalize(value, out _));
        Assert.Throws<ArgumentException>(() => TenantIds.Normalize(value));
    }
}
