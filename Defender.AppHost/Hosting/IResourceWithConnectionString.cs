namespace Defender.AppHost.Hosting;

/// <summary>A resource that projects reach through a connection string (Aspire's <c>IResourceWithConnectionString</c>).</summary>
public interface IResourceWithConnectionString : IResource
{
    /// <summary>The connection string; a secret, never printed. Known once the resource has started.</summary>
    string ConnectionString { get; }
}
