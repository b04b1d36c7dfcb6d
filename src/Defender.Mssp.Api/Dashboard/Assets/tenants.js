// The tenants table: sortable by any column (buttons in the headers, aria-sort on the active one), filtered by
// text, health and "needs attention", rebuilt on each refresh with keyboard focus kept where it was.

import { h, replace } from './dom.js';
import { duration, number, parseDuration, parseTime, relative, shortId } from './format.js';
import { HEALTH, health, needsAttention, outcome } from './health.js';
import { actionButtons } from './actions.js';

const time = (value) => parseTime(value)?.getTime() ?? -Infinity;

const COLUMNS = [
  { key: 'name', label: 'Tenant', value: (t) => (t.displayName || t.tenantId).toLowerCase() },
  { key: 'health', label: 'Health', value: (t) => health(t.health).rank + (t.paused !== (t.health === 'Paused') ? 0.5 : 0) },
  { key: 'owner', label: 'Owner', value: (t) => t.ownerSiloId ?? '\uffff' },
  { key: 'lastPoll', label: 'Last poll', value: (t) => time(t.lastPollCompletedAt) },
  { key: 'lag', label: 'Lag', numeric: true, value: (t) => parseDuration(t.lag) ?? -1 },
  { key: 'delivered', label: 'Delivered', numeric: true, value: (t) => t.recordsDelivered },
  { key: 'token', label: 'Token expires', value: (t) => time(t.tokenExpiresOn) },
  { key: 'actions', label: 'Actions', sortable: false },
];

export class TenantsTable {
  /** onAction: { run(action, tenant), explain(message) }, see actions.js. */
  constructor({ head, body, empty, count, filterText, filterHealth, filterAttention, onAction }) {
    Object.assign(this, { head, body, empty, count, onAction });
    this.sort = { key: 'health', descending: true };
    this.filters = { text: '', health: '', attention: false };
    this.data = null;

    for (const [name, { label }] of Object.entries(HEALTH)) {
      filterHealth.append(h('option', { value: name }, label));
    }

    filterText.addEventListener('input', () => { this.filters.text = filterText.value.trim().toLowerCase(); this.render(); });
    filterHealth.addEventListener('change', () => { this.filters.health = filterHealth.value; this.render(); });
    filterAttention.addEventListener('change', () => { this.filters.attention = filterAttention.checked; this.render(); });
  }

  /** data: { tenants, now, session } */
  update(data) {
    this.data = data;
    this.render();
  }

  render() {
    if (!this.data) return;
    this.renderHead();
    const { tenants, now, session } = this.data;
    const rows = this.sorted(tenants.filter((t) => this.matches(t)));
    this.count.textContent = rows.length === tenants.length ? `(${tenants.length})` : `(${rows.length} of ${tenants.length})`;

    const focused = document.activeElement;
    const focus = this.body.contains(focused) ? { tenant: focused.closest('tr')?.dataset.tenantId, action: focused.dataset.action } : null;
    replace(this.body, rows.map((t) => this.row(t, now, session)));
    if (focus?.tenant) {
      const row = [...this.body.rows].find((r) => r.dataset.tenantId === focus.tenant);
      (row?.querySelector(focus.action ? `[data-action="${focus.action}"]` : 'a') ?? row?.querySelector('a'))?.focus();
    }

    this.empty.hidden = rows.length > 0;
    this.empty.textContent = tenants.length === 0
      ? 'No tenants yet. Onboard one with POST /tenants (or /tenants/bulk).'
      : 'No tenant matches the filters.';
  }

  matches(t) {
    const { text, health: wanted, attention } = this.filters;
    if (text && !(t.displayName ?? '').toLowerCase().includes(text) && !t.tenantId.includes(text)) return false;
    if (wanted && t.health !== wanted) return false;
    return !attention || needsAttention(t);
  }

  sorted(rows) {
    const column = COLUMNS.find((c) => c.key === this.sort.key);
    const direction = this.sort.descending ? -1 : 1;
    const byName = COLUMNS[0].value;
    return rows.sort((a, b) => {
      const x = column.value(a);
      const y = column.value(b);
      const order = x < y ? -1 : x > y ? 1 : 0;
      return order * direction || byName(a).localeCompare(byName(b));
    });
  }

  renderHead() {
    replace(this.head, COLUMNS.map((column) => {
      const active = this.sort.key === column.key;
      const th = h('th', {
        scope: 'col',
        class: column.numeric ? 'num' : null,
        'aria-sort': column.sortable === false ? null : active ? (this.sort.descending ? 'descending' : 'ascending') : 'none',
      });
      if (column.sortable === false) {
        th.append(h('span', { class: 'th-plain' }, column.label));
        return th;
      }

      th.append(h('button', {
        type: 'button',
        class: ['th-sort', active ? 'th-active' : null],
        onclick: () => {
          this.sort = { key: column.key, descending: active ? !this.sort.descending : column.key === 'health' };
          this.render();
          this.head.querySelector(`[data-column="${column.key}"]`)?.focus();
        },
        dataset: { column: column.key },
      }, column.label, h('span', { class: 'sort-icon', 'aria-hidden': 'true' }, active ? (this.sort.descending ? '▼' : '▲') : '↕')));
      return th;
    }));
  }

  row(t, now, session) {
    const state = health(t.health);
    const completed = parseTime(t.lastPollCompletedAt);
    const lagMs = parseDuration(t.lag);
    const intervalMs = parseDuration(t.pollInterval);
    const token = parseTime(t.tokenExpiresOn);
    const transition = transitionOf(t);
    return h('tr', { dataset: { tenantId: t.tenantId, health: t.health, paused: String(t.paused) } },
      h('td', { class: 'cell-tenant' },
        h('a', { class: 'tenant-link', href: `#/tenants/${encodeURIComponent(t.tenantId)}` }, t.displayName || 'Unnamed tenant'),
        h('div', { class: 'sub mono', title: t.tenantId }, shortId(t.tenantId), t.managed ? null : h('span', { class: 'tag' }, 'silo config'))),
      h('td', { class: 'cell-health', dataset: { col: 'health' } },
        h('span', { class: ['badge', `tone-${state.tone}`], title: state.hint }, state.label),
        transition ? h('span', { class: 'badge badge-pending' }, transition) : null,
        t.consecutiveFailures > 0 ? h('div', { class: 'sub' }, `${t.consecutiveFailures} failed turn${t.consecutiveFailures === 1 ? '' : 's'} in a row`) : null),
      h('td', {},
        t.ownerSiloId
          ? [h('span', { class: ['dot', t.ownerSiloLive ? 'dot-ok' : 'dot-bad'], 'aria-hidden': 'true' }),
            h('span', { class: 'mono', title: t.ownerSiloLive ? 'Live' : 'The owning silo has stopped sending heartbeats' }, t.ownerSiloId)]
          : h('span', { class: 'muted' }, 'Not owned')),
      h('td', { title: completed ? completed.toISOString() : null },
        relative(completed, now),
        t.lastOutcome ? h('div', { class: 'sub' }, outcome(t.lastOutcome).label) : null),
      h('td', { class: ['num', lagTone(lagMs, intervalMs)] }, lagMs === null ? '—' : duration(lagMs)),
      h('td', { class: 'num' }, number(t.recordsDelivered)),
      h('td', { class: token && token.getTime() < now && !t.paused ? 'tone-text-warn' : null, title: token ? token.toISOString() : null },
        relative(token, now)),
      h('td', {}, h('div', { class: 'row-actions' }, actionButtons(t, session, this.onAction, { compact: true }))));
  }
}

/** What the operator asked for that the grain has not done yet. */
export function transitionOf(t) {
  if (t.paused && t.health !== 'Paused') return 'Pausing…';
  if (!t.paused && t.health === 'Paused') return 'Resuming…';
  return null;
}

function lagTone(lagMs, intervalMs) {
  if (lagMs === null) return null;
  if (lagMs > 60 * 60_000) return 'tone-text-bad';
  return lagMs > Math.max(3 * (intervalMs ?? 0), 15 * 60_000) ? 'tone-text-warn' : null;
}
