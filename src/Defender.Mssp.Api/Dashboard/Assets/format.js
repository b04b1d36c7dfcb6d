// Times, durations and numbers as an operator reads them. Durations arrive as .NET's constant format
// ([-][d.]hh:mm:ss[.fffffff]), times as ISO 8601.

const numberFormat = new Intl.NumberFormat('en-US');
const clockFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
const clockSecondsFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
});

/** Milliseconds of a .NET TimeSpan string, or null. */
export function parseDuration(text) {
  if (typeof text !== 'string') return null;
  const match = /^(-)?(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?$/.exec(text);
  if (!match) return null;
  const [, minus, days, hours, minutes, seconds, fraction] = match;
  const ms = ((Number(days ?? 0) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000
    + Number(seconds) * 1000 + Math.round(Number(`0.${fraction ?? '0'}`) * 1000);
  return minus ? -ms : ms;
}

/** A date from an ISO string, or null. */
export function parseTime(text) {
  if (!text) return null;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "850 ms", "42 s", "4 min 12 s", "3 h 5 min", "2 d 4 h". */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '—';
  const abs = Math.abs(ms);
  const sign = ms < 0 ? '−' : '';
  if (abs < 1000) return `${sign}${Math.round(abs)} ms`;
  const s = Math.floor(abs / 1000);
  if (s < 60) return `${sign}${s} s`;
  const m = Math.floor(s / 60);
  // Seconds matter for a few minutes; past ten they are noise.
  if (m < 60) return `${sign}${m} min${m < 10 && s % 60 ? ` ${s % 60} s` : ''}`;
  const hrs = Math.floor(m / 60);
  if (hrs < 48) return `${sign}${hrs} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(hrs / 24);
  return `${sign}${d} d${hrs % 24 ? ` ${hrs % 24} h` : ''}`;
}

/** "12 s ago", "in 4 min", "just now". */
export function relative(date, now) {
  if (!date) return '—';
  const delta = date.getTime() - now;
  if (Math.abs(delta) < 1500) return 'just now';
  return delta < 0 ? `${duration(-delta)} ago` : `in ${duration(delta)}`;
}

export function number(value) {
  return value === null || value === undefined ? '—' : numberFormat.format(value);
}

export function clock(date, withSeconds = false) {
  return date ? (withSeconds ? clockSecondsFormat : clockFormat).format(date) : '—';
}

export function dateTime(date) {
  return date ? dateTimeFormat.format(date) : '—';
}

/** A build version without most of its commit hash: 1.0.0+b33e247a… becomes 1.0.0+b33e247. */
export function shortVersion(version) {
  const [release, commit] = String(version).split('+');
  return commit ? `${release}+${commit.slice(0, 7)}` : release;
}

/** The first block of a GUID, enough to tell tenants apart on screen; the full id is in the title. */
export function shortId(id) {
  return typeof id === 'string' ? id.split('-')[0] : '';
}
