// How each tenant health and poll outcome looks: a label in words (never colour alone), a tone for colour, and a
// rank so sorting by health puts what needs a person first.

export const HEALTH = {
  NeedsOperator: { label: 'Needs operator', tone: 'bad', rank: 9, hint: 'The API refused access or the configuration names something unknown.' },
  AuthFailed: { label: 'Auth failed', tone: 'bad', rank: 8, hint: 'The token endpoint rejected the app credentials.' },
  ConsentMissing: { label: 'Consent missing', tone: 'bad', rank: 7, hint: 'The customer admin has not consented to the app.' },
  TenantNotFound: { label: 'Tenant not found', tone: 'bad', rank: 6, hint: 'The tenant does not exist in the configured cloud.' },
  SinkFailing: { label: 'Sink failing', tone: 'warn', rank: 5, hint: 'A sink did not acknowledge; delivery is held at the checkpoint and retried with backoff.' },
  Faulted: { label: 'Faulted', tone: 'warn', rank: 4, hint: 'A transient failure; retried with backoff.' },
  Throttled: { label: 'Throttled', tone: 'warn', rank: 3, hint: 'The API answered 429; waiting as told.' },
  Unknown: { label: 'Not polled yet', tone: 'muted', rank: 2, hint: 'No poll has completed yet.' },
  Paused: { label: 'Paused', tone: 'paused', rank: 1, hint: 'Polling is switched off.' },
  Healthy: { label: 'Healthy', tone: 'ok', rank: 0, hint: 'Polling works.' },
};

export function health(name) {
  return HEALTH[name] ?? { label: name ?? 'Unknown', tone: 'muted', rank: 2, hint: '' };
}

/** Healthy, paused and not-yet-polled need nobody; everything else does, and so does a tenant its silo abandoned. */
export function needsAttention(tenant) {
  const tone = health(tenant.health).tone;
  return tone === 'bad' || tone === 'warn' || tenant.ownerSiloLive === false;
}

export const OUTCOMES = {
  Delivered: { label: 'Delivered', cls: 's-delivered' },
  NothingNew: { label: 'Nothing new', cls: 's-nothingnew' },
  PartiallyFailed: { label: 'Partially failed', cls: 's-partial' },
  Failed: { label: 'Failed', cls: 's-failed' },
  Deferred: { label: 'Deferred', cls: 's-deferred' },
  Paused: { label: 'Paused', cls: 's-paused' },
};

export function outcome(name) {
  return OUTCOMES[name] ?? { label: name ?? '—', cls: 's-other' };
}
