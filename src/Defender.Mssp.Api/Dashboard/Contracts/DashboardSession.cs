namespace Defender.Mssp.Api.Dashboard.Contracts;

/// <summary>
/// Who the page is signed in as (<c>GET /dashboard/session</c>), so it can offer the actions the caller may take and
/// say why the others are disabled, and how often to refresh.
/// </summary>
public sealed record DashboardSession(string Name, IReadOnlyList<string> Roles, bool CanManage, TimeSpan RefreshInterval);
