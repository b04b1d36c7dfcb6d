// The cluster panel: one card per silo with its heartbeat age and the tenants whose leases it holds, and the
// tenants nobody owns right now.

import { h, replace } from './dom.js';
import { duration, parseTime, relative, shortId, shortVersion } from './format.js';

const MAX_CHIPS = 10;

export function renderCluster(container, note, overview, now) {
  const names = new Map(overview.tenants.map((t) => [t.tenantId, t.displayName || shortId(t.tenantId)]));
  const silos = [...overview.silos].sort((a, b) => Number(b.live) - Number(a.live) || a.siloId.localeCompare(b.siloId));
  const unowned = overview.tenants.filter((t) => !t.leased);
  const live = silos.filter((s) => s.live).length;

  note.textContent = `${live} of ${silos.length} silo${silos.length === 1 ? '' : 's'} live`;
  if (silos.length === 0) {
    replace(container, h('p', { class: 'empty' }, 'No silo has sent a heartbeat. Start a silo with the same storage to poll tenants.'));
    return;
  }

  replace(container,
    silos.map((silo) => siloCard(silo, names, now)),
    unowned.length ? unownedCard(unowned, names) : null);
}

function siloCard(silo, names, now) {
  const heartbeat = parseTime(silo.lastHeartbeat);
  const started = parseTime(silo.startedAt);
  return h('article', { class: ['silo', silo.live ? 'silo-live' : 'silo-stale'], dataset: { siloId: silo.siloId } },
    h('header', { class: 'silo-head' },
      h('span', { class: ['dot', silo.live ? 'dot-ok' : 'dot-bad'], 'aria-hidden': 'true' }),
      h('span', { class: 'silo-id mono', title: silo.endpoint ? `${silo.siloId} at ${silo.endpoint}` : silo.siloId }, silo.siloId),
      h('span', { class: ['badge', silo.live ? 'tone-ok' : 'tone-bad'] }, silo.live ? 'Live' : 'Stale')),
    h('dl', { class: 'silo-facts' },
      fact('Heartbeat', relative(heartbeat, now)),
      fact('Up', started ? duration(now - started.getTime()) : '—'),
      fact('Tenants', String(silo.tenants.length)),
      silo.version ? fact('Version', shortVersion(silo.version), silo.version) : null),
    chips(silo.tenants, names));
}

function unownedCard(tenants, names) {
  return h('article', { class: 'silo silo-unowned' },
    h('header', { class: 'silo-head' },
      h('span', { class: 'dot dot-muted', 'aria-hidden': 'true' }),
      h('span', { class: 'silo-id' }, 'Not owned'),
      h('span', { class: 'badge tone-muted' }, String(tenants.length))),
    h('p', { class: 'silo-note' }, 'Waiting for a silo to take their lease (new, just released, or paused before any poll).'),
    chips(tenants.map((t) => t.tenantId), names));
}

function fact(term, value, title) {
  return h('div', {}, h('dt', {}, term), h('dd', { title: title ?? null }, value));
}

function chips(tenantIds, names) {
  if (tenantIds.length === 0) return h('p', { class: 'silo-note' }, 'No tenants.');
  const shown = [...tenantIds].sort((a, b) => (names.get(a) ?? a).localeCompare(names.get(b) ?? b)).slice(0, MAX_CHIPS);
  return h('ul', { class: 'chips', 'aria-label': 'Tenants' },
    shown.map((id) => h('li', {}, h('a', { class: 'chip', href: `#/tenants/${encodeURIComponent(id)}`, title: id }, names.get(id) ?? shortId(id)))),
    tenantIds.length > MAX_CHIPS ? h('li', { class: 'chip chip-more' }, `+${tenantIds.length - MAX_CHIPS} more`) : null);
}
