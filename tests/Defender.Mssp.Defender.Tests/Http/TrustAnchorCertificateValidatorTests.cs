using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Defender.Mssp.Defender.Http;
using Defender.Mssp.Defender.Tests.Fakes;

namespace Defender.Mssp.Defender.Tests.Http;

/// <summary>The validator on its own, fed chains the way SslStream builds them (system trust, no revocation check).</summary>
public sealed class TrustAnchorCertificateValidatorTests : IDisposable
{
    private readonly X509Certificate2 _root = GeneratedCertificates.CreateRoot("Defender test CA");
    private readonly X509Certificate2 _otherRoot = GeneratedCertificates.CreateRoot("Somebody else's CA");
    private readonly X509Certificate2 _server;

    public TrustAnchorCertificateValidatorTests()
    {
        _server = GeneratedCertificates.CreateServer(_root);
    }

    private static X509Chain SystemChain(X509Certificate2 leaf, params X509Certificate2[] sentByServer)
    {
        var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ExtraStore.AddRange(sentByServer);
        Assert.False(chain.Build(leaf), "the test CA must not be trusted by the system");
        return chain;
    }

    private static TrustAnchorCertificateValidator Trusting(params X509Certificate2[] anchors) => new([.. anchors]);

    [Fact]
    public void A_chain_to_a_configured_anchor_is_accepted()
    {
        using var chain = SystemChain(_server);

        Assert.True(Trusting(_root).Validate(_server, chain, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_chain_whose_server_also_sent_the_root_is_accepted()
    {
        using var chain = SystemChain(_server, _root);

        Assert.True(Trusting(_root).Validate(_server, chain, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_self_signed_server_certificate_configured_as_anchor_is_accepted()
    {
        var selfSigned = TestKit.TestCertificates.Server;
        using var chain = SystemChain(selfSigned);

        Assert.True(Trusting(selfSigned).Validate(selfSigned, chain, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_chain_to_an_unknown_root_is_rejected()
    {
        using var chain = SystemChain(_server, _root);

        Assert.False(Trusting(_otherRoot).Validate(_server, chain, SslPolicyErrors.RemoteCertificateChainErrors));
        Assert.False(Trusting().Validate(_server, chain, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void A_host_name_mismatch_is_rejected_even_with_a_trusted_anchor()
    {
        using var chain = SystemChain(_server);

        Assert.False(Trusting(_root).Validate(_server, chain, SslPolicyErrors.RemoteCertificateNameMismatch));
        Assert.False(Trusting(_root).Validate(_server, chain,
            SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void An_expired_certificate_from_a_trusted_anchor_is_rejected()
    {
        using var expired = GeneratedCertificates.CreateServer(_root, notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        using var chain = SystemChain(expired);

        Assert.False(Trusting(_root).Validate(expired, chain, SslPolicyErrors.RemoteCertificateChainErrors));
        // Even if the caller passes no chain to pre-check, the anchored chain itself enforces validity.
        Assert.False(Trusting(_root).Validate(expired, null, SslPolicyErrors.RemoteCertificateChainErrors));
    }

    [Fact]
    public void No_certificate_is_rejected_and_a_clean_system_result_is_accepted()
    {
        Assert.False(Trusting(_root).Validate(null, null, SslPolicyErrors.RemoteCertificateNotAvailable));
        Assert.True(Trusting().Validate(_server, null, SslPolicyErrors.None));
    }

    [Fact]
    public void Anchors_load_from_a_pem_file()
    {
        var path = GeneratedCertificates.WritePem(Path.GetTempPath(), _root, _otherRoot);
        try
        {
            Assert.Equal(2, TrustAnchorCertificateValidator.FromPemFile(path).AnchorCount);
        }
        finally
        {
            File.Delete(path);
        }
    }

    public void Dispose()
    {
        _server.Dispose();
        _root.Dispose();
        _otherRoot.Dispose();
    }
}
