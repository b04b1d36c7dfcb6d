// The summary tiles above the panels.

import { h, replace } from './dom.js';
import { clock, duration, number, parseDuration, parseTime } from './format.js';
import { needsAttention } from './health.js';

export function renderKpis(list, overview, history) {
  const tenants = overview.tenants;
  const healthy = tenants.filter((t) => t.health === 'Healthy').length;
  const attention = tenants.filter(needsAttention).length;
  const paused = tenants.filter((t) => t.paused || t.health === 'Paused').length;
  const live = overview.silos.filter((s) => s.live).length;
  const delivered = history ? history.buckets.reduce((sum, b) => sum + b.recordsDelivered, 0) : null;
  const since = parseTime(history?.observingSince);
  const windowMs = parseDuration(history?.window) ?? 3_600_000;
  const worst = tenants
    .map((t) => ({ t, lag: parseDuration(t.lag) }))
    .filter((x) => x.lag !== null && !x.t.paused)
    .sort((a, b) => b.lag - a.lag)[0];

  replace(list,
    tile('Tenants', number(tenants.length), `${tenants.filter((t) => t.leased).length} owned by a silo`),
    tile('Healthy', number(healthy), tenants.length ? `${Math.round((healthy / tenants.length) * 100)}% of tenants` : 'no tenants', healthy === tenants.length && tenants.length ? 'ok' : null),
    tile('Need attention', number(attention), attention ? 'failing, throttled or orphaned' : 'nothing to do', attention ? 'bad' : 'ok'),
    tile('Paused', number(paused), paused ? 'not polled' : 'none'),
    tile('Silos live', `${live} / ${overview.silos.length}`, live === overview.silos.length ? 'all heartbeating' : 'some stopped heartbeating', live < overview.silos.length || live === 0 ? 'bad' : 'ok'),
    tile(`Delivered, last ${duration(windowMs)}`, delivered === null ? '—' : number(delivered),
      since && Date.now() - since.getTime() < windowMs ? `since ${clock(since)} (API start)` : 'records to the sink'),
    tile('Worst lag', worst ? duration(worst.lag) : '—', worst ? worst.t.displayName || worst.t.tenantId : 'no watermark yet',
      worst && worst.lag > 3_600_000 ? 'bad' : null));
}

function tile(label, value, note, tone) {
  return h('li', { class: ['kpi', tone ? `kpi-${tone}` : null] },
    h('span', { class: 'kpi-label' }, label),
    h('span', { class: 'kpi-value' }, value),
    h('span', { class: 'kpi-note', title: note }, note));
}

