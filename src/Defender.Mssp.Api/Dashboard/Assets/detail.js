// One tenant: what its grain last recorded (GET /tenants/{id}/status), its settings (GET /tenants/{id}), and the
// errors the dashboard observed (GET /dashboard/tenants/{id}/errors), with the same actions as the table.

import { h, replace } from './dom.js';
import { dateTime, duration, number, parseDuration, parseTime, relative } from './format.js';
import { health, outcome } from './health.js';
import { actionButtons } from './actions.js';
import { transitionOf } from './tenants.js';

/** model: { tenantId, row, status, settings, errors, loading, failure, session, now, handlers } */
export function renderDetail(container, model) {
  const { tenantId, row, status, settings, errors, session, now, handlers } = model;
  const name = status?.displayName || settings?.displayName || row?.displayName || 'Unnamed tenant';
  const current = {
    tenantId,
    displayName: name,
    managed: Boolean(settings) || Boolean(row?.managed),
    paused: status?.paused ?? row?.paused ?? false,
    health: status?.health ?? row?.health ?? 'Unknown',
  };
  const state = health(current.health);
  const transition = transitionOf(current);

  const focused = document.activeElement;
  const focusAction = container.contains(focused) ? focused.dataset.action : null;

  replace(container,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, '← All tenants')),
    h('header', { class: 'detail-head' },
      h('div', { class: 'detail-title' },
        h('h1', { id: 'detail-title', tabindex: '-1' }, name),
        h('div', { class: 'sub mono' }, tenantId)),
      h('div', { class: 'detail-badges' },
        h('span', { class: ['badge', 'badge-large', `tone-${state.tone}`], title: state.hint, dataset: { col: 'health' } }, state.label),
        transition ? h('span', { class: 'badge badge-pending badge-large' }, transition) : null,
        current.managed ? null : h('span', { class: 'tag' }, 'silo config')),
      h('div', { class: 'detail-actions' }, actionButtons(current, session, handlers))),
    model.failure ? h('p', { class: 'banner banner-inline', role: 'alert' }, model.failure) : null,
    model.loading && !status && !row ? h('p', { class: 'empty' }, 'Loading…') : null,
    h('div', { class: 'detail-grid' },
      panel('Status', statusFacts(status, row, now)),
      panel('Settings', settingsFacts(settings, now))),
    panel('Sources', sourcesTable(status, now)),
    panel('Recent errors', errorsSection(status, errors, now)));

  if (focusAction) container.querySelector(`.detail-actions [data-action="${focusAction}"]`)?.focus();
}

function panel(title, ...content) {
  const id = `detail-${title.toLowerCase().replace(/\W+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('div', { class: 'panel-head' }, h('h2', { id }, title)), content);
}

function facts(entries) {
  return h('dl', { class: 'facts' }, entries.filter(Boolean).map(([term, value, title]) =>
    h('div', { class: 'fact' }, h('dt', {}, term), h('dd', { title: title ?? null }, value ?? '—'))));
}

function at(value, now) {
  const date = parseTime(value);
  return date ? [relative(date, now), dateTime(date)] : ['—', null];
}

function statusFacts(status, row, now) {
  const s = status ?? row;
  if (!s) return h('p', { class: 'empty' }, 'No status yet.');
  const [started, startedTitle] = at(s.lastPollStartedAt, now);
  const [completed, completedTitle] = at(s.lastPollCompletedAt, now);
  const [token, tokenTitle] = at(s.tokenExpiresOn, now);
  const [next, nextTitle] = at(s.nextPollNotBefore, now);
  const owner = s.ownerSiloId ? [s.ownerSiloId, s.ownerSiloLive ? ' (live)' : ' (not heartbeating)'].join('') : 'Not owned';
  return facts([
    ['Owner silo', owner],
    ['Last poll started', started, startedTitle],
    ['Last poll completed', completed, completedTitle],
    ['Last outcome', s.lastOutcome ? outcome(s.lastOutcome).label : '—'],
    ['Records delivered', number(s.recordsDelivered)],
    ['Lag', duration(parseDuration(row?.lag))],
    ['Token expires', token, tokenTitle],
    s.nextPollNotBefore ? ['Backing off until', next, nextTitle] : null,
    s.pollRequest ? ['Poll-now request', `#${s.pollRequest.sequence}, ${relative(parseTime(s.pollRequest.requestedAt), now)}`] : null,
    row ? ['Failed turns in a row', String(row.consecutiveFailures)] : null,
  ]);
}

function settingsFacts(settings, now) {
  if (!settings) {
    return h('p', { class: 'empty' }, 'This tenant is configured in a silo\'s settings, not through the API.');
  }

  const [updated, updatedTitle] = at(settings.updatedAt, now);
  const [created, createdTitle] = at(settings.createdAt, now);
  return facts([
    ['Client id', h('span', { class: 'mono' }, settings.clientId)],
    ['Cloud', settings.cloud],
    ['SIEM region', settings.siemRegion],
    ['Sources', settings.sources.join(', ') || '—'],
    ['Poll interval', duration(parseDuration(settings.pollInterval))],
    ['Initial look-back', duration(parseDuration(settings.initialLookback))],
    ['Machine groups', settings.machineGroups.length ? settings.machineGroups.join(', ') : 'All'],
    ['Credential', settings.credential ? `${settings.credential.kind}, set ${relative(parseTime(settings.credential.updatedAt), now)}` : 'None'],
    ['Version', String(settings.version)],
    ['Last change', settings.updatedBy ? `${updated} by ${settings.updatedBy}` : updated, updatedTitle],
    ['Onboarded', created, createdTitle],
  ]);
}

function sourcesTable(status, now) {
  if (!status || status.sources.length === 0) return h('p', { class: 'empty' }, 'No source has been polled yet.');
  const headers = ['Source', 'Health', 'Watermark', 'Lag', 'Delivered', 'Last success', 'Failures', 'Retry after'];
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid grid-compact' },
    h('caption', { class: 'visually-hidden' }, 'Sources of this tenant'),
    h('thead', {}, h('tr', {}, headers.map((label, i) => h('th', { scope: 'col', class: i === 3 || i === 4 || i === 6 ? 'num' : null }, label)))),
    h('tbody', {}, status.sources.map((source) => {
      const state = health(source.health);
      const [watermark, watermarkTitle] = at(source.watermark, now);
      const [success, successTitle] = at(source.lastSuccessAt, now);
      const [retry, retryTitle] = at(source.retryNotBefore, now);
      return h('tr', {},
        h('th', { scope: 'row' }, source.source, source.configured ? null : h('span', { class: 'tag' }, 'not configured')),
        h('td', {}, h('span', { class: ['badge', `tone-${state.tone}`] }, state.label)),
        h('td', { title: watermarkTitle }, watermark),
        h('td', { class: 'num' }, duration(parseDuration(source.lag))),
        h('td', { class: 'num' }, number(source.recordsDelivered)),
        h('td', { title: successTitle }, success),
        h('td', { class: 'num' }, String(source.consecutiveFailures)),
        h('td', { title: retryTitle }, source.retryNotBefore ? retry : '—'));
    }))));
}

function errorsSection(status, errors, now) {
  const latest = latestErrors(status);
  const observed = errors?.errors ?? [];
  const since = parseTime(errors?.observingSince);
  const parts = [];

  if (latest.length) {
    parts.push(h('ul', { class: 'error-list', 'aria-label': 'Latest recorded errors' }, latest.map((error) =>
      h('li', { class: 'error-item' },
        h('div', { class: 'error-meta' },
          h('span', { class: 'error-code mono' }, error.code),
          error.source ? h('span', { class: 'tag' }, error.source) : null,
          h('span', { class: 'muted', title: dateTime(parseTime(error.at)) }, relative(parseTime(error.at), now))),
        h('p', { class: 'error-message' }, error.message)))));
  }

  if (observed.length) {
    parts.push(h('div', { class: 'table-wrap' }, h('table', { class: 'grid grid-compact' },
      h('caption', {}, `Errors observed${since ? ` since ${dateTime(since)}` : ''} (a repeat of the same error is counted, not listed again)`),
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col' }, 'Last seen'), h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Source'),
        h('th', { scope: 'col', class: 'num' }, 'Times'), h('th', { scope: 'col' }, 'First seen'))),
      h('tbody', {}, observed.map((error) => {
        const [last, lastTitle] = at(error.lastSeenAt, now);
        const [first, firstTitle] = at(error.firstSeenAt, now);
        return h('tr', {},
          h('td', { title: lastTitle }, last),
          h('td', { class: 'mono' }, error.code),
          h('td', {}, error.source ?? 'tenant'),
          h('td', { class: 'num' }, number(error.occurrences)),
          h('td', { title: firstTitle }, first));
      })))));
  }

  if (!parts.length) {
    parts.push(h('p', { class: 'empty' }, since ? `No errors recorded, nor observed since ${dateTime(since)}.` : 'No errors recorded.'));
  }

  return parts;
}

/** The tenant's last error and each source's, once each, newest first. */
function latestErrors(status) {
  if (!status) return [];
  const all = [status.lastError, ...status.sources.map((s) => s.lastError)].filter(Boolean);
  const seen = new Set();
  return all
    .filter((e) => { const key = `${e.code}|${e.source}|${e.at}`; if (seen.has(key)) return false; seen.add(key); return true; })
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at));
}

