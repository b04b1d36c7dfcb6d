using System.Security.Cryptography;
using Defender.Simulator.Hosting;
using Microsoft.Extensions.Options;

namespace Defender.Simulator.Identity;

/// <summary>The simulator's HS256 key: configured (so tokens survive restarts) or random per process.</summary>
internal sealed class TokenSigningKey
{
    private const int MinimumKeyBytes = 32;

    public TokenSigningKey(IOptions<SimulatorOptions> options)
    {
        var configured = options.Value.Tokens.SigningKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            Key = RandomNumberGenerator.GetBytes(MinimumKeyBytes);
            return;
        }

        Key = Convert.FromBase64String(configured);
        if (Key.Length < MinimumKeyBytes)
        {
            throw new OptionsValidationException(
                SimulatorOptions.SectionName, typeof(SimulatorOptions), ["Simulator:Tokens:SigningKey must be at least 32 bytes (base64)."]);
        }
    }

    public byte[] Key { get; }
}
