// The dashboard: sign in with an API key, then refresh the overview and history (and the open tenant) every few
// seconds while the tab is visible. All data comes from the authenticated JSON API; nothing is rendered as HTML.

import { Api, ApiError, keyStore, tenantPath } from './api.js';
import { ACTIONS } from './actions.js';
import { barChart, legend } from './charts.js';
import { renderCluster } from './cluster.js';
import { renderDetail } from './detail.js';
import { byId } from './dom.js';
import { clock, duration, parseDuration, parseTime } from './format.js';
import { outcome } from './health.js';
import { renderKpis } from './kpis.js';
import { TenantsTable } from './tenants.js';
import { toast } from './toasts.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_BACKOFF_MS = 60_000;

const el = {
  login: byId('login-view'), loginForm: byId('login-form'), key: byId('api-key'), loginError: byId('login-error'), loginSubmit: byId('login-submit'),
  app: byId('app-view'), banner: byId('banner'), overview: byId('overview-view'), detail: byId('detail-view'),
  live: byId('live'), liveText: byId('live-text'), session: byId('session'), sessionName: byId('session-name'), sessionRole: byId('session-role'),
  signOut: byId('sign-out'), kpis: byId('kpis'), cluster: byId('cluster'), clusterNote: byId('cluster-note'),
  chartRecords: byId('chart-records'), chartPolls: byId('chart-polls'), chartPollsLegend: byId('chart-polls-legend'), chartsNote: byId('charts-note'),
  toasts: byId('toasts'),
};

const state = {
  api: null,
  session: null,
  overview: null,
  history: null,
  detail: null,
  route: parseRoute(),
  clockOffset: 0,
  refreshMs: 5000,
  timer: null,
  lastSuccess: null,
  failures: 0,
  /** Pauses and resumes sent but not yet in a snapshot: tenantId → { paused, at (server time) }. */
  pending: new Map(),
};

const handlers = {
  run: (action, tenant) => runAction(action, tenant),
  explain: (message) => toast(el.toasts, message, 'info'),
};

const table = new TenantsTable({
  head: byId('tenants-head'), body: byId('tenants-body'), empty: byId('tenants-empty'), count: byId('tenants-count'),
  filterText: byId('filter-text'), filterHealth: byId('filter-health'), filterAttention: byId('filter-attention'),
  onAction: handlers,
});

const now = () => Date.now() + state.clockOffset;

// --- signing in and out ---------------------------------------------------------------------------------------

el.loginForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const key = el.key.value.trim();
  if (!key) return loginError('Enter an API key.');
  el.loginSubmit.disabled = true;
  el.loginSubmit.textContent = 'Signing in…';
  try {
    await signIn(key);
    el.key.value = '';
  } catch (error) {
    loginError(describeLoginFailure(error));
  } finally {
    el.loginSubmit.disabled = false;
    el.loginSubmit.textContent = 'Sign in';
  }
});

el.signOut.addEventListener('click', () => signOut());

async function signIn(key) {
  const api = new Api(key);
  const session = await api.get('/dashboard/session');
  keyStore.set(key);
  Object.assign(state, { api, session, failures: 0, refreshMs: parseDuration(session.refreshInterval) ?? 5000 });
  el.sessionName.textContent = session.name;
  el.sessionRole.textContent = session.canManage ? 'Admin' : 'Reader · read-only';
  el.sessionRole.className = session.canManage ? 'role role-admin' : 'role role-reader';
  el.login.hidden = true;
  el.app.hidden = false;
  el.session.hidden = false;
  el.live.hidden = false;
  await refresh();
}

function signOut(message) {
  clearTimeout(state.timer);
  keyStore.clear();
  Object.assign(state, { api: null, session: null, overview: null, history: null, detail: null, lastSuccess: null });
  state.pending.clear();
  el.app.hidden = true;
  el.session.hidden = true;
  el.live.hidden = true;
  el.login.hidden = false;
  el.loginError.hidden = !message;
  el.loginError.textContent = message ?? '';
  el.key.focus();
}

function loginError(message) {
  el.loginError.textContent = message;
  el.loginError.hidden = false;
  el.key.focus();
}

function describeLoginFailure(error) {
  if (!(error instanceof ApiError)) return 'Signing in failed.';
  if (error.status === 401) return 'That key was not accepted.';
  if (error.status === 403) return 'That key has no role on this API.';
  if (error.status === 429) return `Too many attempts; try again in ${error.retryAfterSeconds ?? 60} s.`;
  if (error.status === 0) return 'The API could not be reached.';
  return `Signing in failed: ${error.title}`;
}

// --- refreshing -----------------------------------------------------------------------------------------------

async function refresh() {
  clearTimeout(state.timer);
  if (!state.api) return;
  let delay = state.refreshMs;
  try {
    const tenantId = state.route.tenantId;
    const [overview, history, detail] = await Promise.all([
      state.api.get('/dashboard/overview'),
      state.api.get('/dashboard/history'),
      tenantId ? loadDetail(tenantId) : null,
    ]);
    state.clockOffset = Date.parse(overview.serverTime) - Date.now();
    applyPending(overview);
    Object.assign(state, { overview, history, lastSuccess: Date.now(), failures: 0 });
    if (detail && detail.tenantId === state.route.tenantId) state.detail = detail;
    setBanner(overview.stale
      ? `Storage could not be read just now; showing the fleet as of ${clock(parseTime(overview.observedAt), true)}.`
      : null);
    render();
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut('Your API key is no longer accepted. Sign in again.');
      return;
    }

    state.failures += 1;
    delay = error?.retryAfterSeconds ? error.retryAfterSeconds * 1000 : Math.min(state.refreshMs * 2 ** state.failures, MAX_BACKOFF_MS);
    const age = state.lastSuccess ? ` Data shown is ${duration(Date.now() - state.lastSuccess)} old.` : '';
    setBanner(`Refreshing failed: ${error?.message ?? error}.${age} Retrying in ${duration(delay)}.`);
  }

  updateLive();
  if (state.api && !document.hidden) state.timer = setTimeout(refresh, delay);
}

async function loadDetail(tenantId) {
  const [status, settings, errors] = await Promise.allSettled([
    state.api.get(tenantPath(tenantId, '/status')),
    state.api.get(tenantPath(tenantId)),
    state.api.get(`/dashboard/tenants/${encodeURIComponent(tenantId)}/errors`),
  ]);
  const failures = [status, settings, errors].filter((r) => r.status === 'rejected').map((r) => r.reason);
  const unauthorized = failures.find((e) => e instanceof ApiError && e.status === 401);
  if (unauthorized) throw unauthorized;
  const failure = failures.find((e) => !(e instanceof ApiError && e.status === 404));
  return {
    tenantId,
    status: status.value ?? null,
    settings: settings.value ?? null,
    errors: errors.value ?? null,
    failure: failure ? `Part of this tenant could not be read: ${failure.message}` : null,
  };
}

/** Keeps an action's effect on screen until a snapshot taken after it shows it (snapshots are shared and may be a little older). */
function applyPending(overview) {
  const observedAt = Date.parse(overview.observedAt);
  for (const [tenantId, expected] of state.pending) {
    const row = overview.tenants.find((t) => t.tenantId === tenantId);
    if (!row || observedAt >= expected.at) state.pending.delete(tenantId);
    else row.paused = expected.paused;
  }
}

function setBanner(message) {
  el.banner.hidden = !message;
  el.banner.textContent = message ?? '';
}

function updateLive() {
  if (!state.api) return;
  const failing = state.failures > 0;
  const hidden = document.hidden;
  el.live.className = ['live', failing ? 'live-bad' : hidden ? 'live-paused' : 'live-ok'].join(' ');
  const age = state.lastSuccess === null ? null : Date.now() - state.lastSuccess;
  el.liveText.textContent = failing ? 'Reconnecting…'
    : hidden ? 'Paused while hidden'
      : age === null ? 'Live'
        : `Live · updated ${age < 1500 ? 'just now' : `${duration(age)} ago`}`;
}

document.addEventListener('visibilitychange', () => {
  if (!document.hidden && state.api) refresh();
  updateLive();
});

setInterval(updateLive, 1000);

// --- actions --------------------------------------------------------------------------------------------------

async function runAction(action, tenant) {
  const name = tenant.displayName || tenant.tenantId;
  try {
    const result = await state.api.post(tenantPath(tenant.tenantId, ACTIONS[action].path));
    if (action === 'poll') {
      toast(el.toasts, `Poll requested for ${name} (request #${result.sequence}); its silo polls within seconds.`, 'ok');
    } else {
      const paused = action === 'pause';
      state.pending.set(tenant.tenantId, { paused, at: now() });
      const row = state.overview?.tenants.find((t) => t.tenantId === tenant.tenantId);
      if (row) row.paused = paused;
      if (state.detail?.status?.tenantId === tenant.tenantId) state.detail.status.paused = paused;
      toast(el.toasts, `${ACTIONS[action].done} for ${name}; its silo applies it within seconds.`, 'ok');
      render();
    }

    setTimeout(refresh, 500);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      signOut('Your API key is no longer accepted. Sign in again.');
    } else if (error instanceof ApiError && error.status === 403) {
      toast(el.toasts, `${ACTIONS[action].label} needs an Admin key; this key is read-only.`, 'bad');
    } else {
      toast(el.toasts, `${ACTIONS[action].label} failed for ${name}: ${error.message}`, 'bad');
    }
  }
}

// --- rendering ------------------------------------------------------------------------------------------------

function parseRoute() {
  const match = /^#\/tenants\/([^/?]+)$/.exec(window.location.hash);
  const tenantId = match ? decodeURIComponent(match[1]) : null;
  return { tenantId: tenantId && GUID.test(tenantId) ? tenantId.toLowerCase() : null };
}

window.addEventListener('hashchange', () => {
  const previous = state.route.tenantId;
  state.route = parseRoute();
  if (state.route.tenantId !== previous) state.detail = null;
  render();
  if (state.route.tenantId) byId('detail-view').querySelector('h1')?.focus();
  else if (previous) document.querySelector(`#tenants-body tr[data-tenant-id="${previous}"] a`)?.focus();
  refresh();
});

let resizeTimer;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(renderCharts, 150);
});

function render() {
  if (!state.overview || !state.session) return;
  const tenantId = state.route.tenantId;
  el.overview.hidden = Boolean(tenantId);
  el.detail.hidden = !tenantId;
  if (tenantId) {
    renderDetail(el.detail, {
      tenantId,
      row: state.overview.tenants.find((t) => t.tenantId === tenantId) ?? null,
      status: state.detail?.status ?? null,
      settings: state.detail?.settings ?? null,
      errors: state.detail?.errors ?? null,
      failure: state.detail?.failure ?? null,
      loading: !state.detail,
      session: state.session,
      now: now(),
      handlers,
    });
    document.title = `${state.detail?.status?.displayName || 'Tenant'} · Defender MSSP`;
    return;
  }

  document.title = 'Defender MSSP · Operations';
  renderKpis(el.kpis, state.overview, state.history);
  renderCluster(el.cluster, el.clusterNote, state.overview, now());
  renderCharts();
  table.update({ tenants: state.overview.tenants, now: now(), session: state.session });
}

function renderCharts() {
  const history = state.history;
  if (!history || el.overview.hidden) return;
  const bucketMs = parseDuration(history.bucketWidth) ?? 60_000;
  const observingSince = parseTime(history.observingSince);
  const buckets = history.buckets.map((b) => ({ start: new Date(b.start), records: b.recordsDelivered, polls: b.polls }));
  el.chartsNote.textContent = `per ${bucketMs === 60_000 ? 'minute' : duration(bucketMs)}${observingSince ? ` · watching since ${clock(observingSince)}` : ''}`;

  barChart(el.chartRecords, {
    label: 'Records delivered',
    bucketMs,
    observingSince,
    buckets: buckets.map((b) => ({ start: b.start, values: { records: b.records } })),
    series: [{ key: 'records', label: 'Records', cls: 's-records' }],
  });

  const series = history.outcomes.map((name) => ({ key: name, label: outcome(name).label, cls: outcome(name).cls }));
  barChart(el.chartPolls, {
    label: 'Completed polls by outcome',
    bucketMs,
    observingSince,
    buckets: buckets.map((b) => ({ start: b.start, values: b.polls })),
    series,
  });
  legend(el.chartPollsLegend, series);
}

// --- start ----------------------------------------------------------------------------------------------------

const saved = keyStore.get();
if (saved) {
  signIn(saved).catch((error) => signOut(error instanceof ApiError && error.status === 401 ? 'Your saved key is no longer accepted.' : describeLoginFailure(error)));
} else {
  signOut();
}

