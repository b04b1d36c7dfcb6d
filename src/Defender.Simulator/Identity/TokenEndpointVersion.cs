namespace Defender.Simulator.Identity;

/// <summary>The two token endpoints: v1 (<c>resource=</c>) and v2 (<c>scope={resource}/.default</c>).</summary>
internal enum TokenEndpointVersion
{
    V1,
    V2,
}
