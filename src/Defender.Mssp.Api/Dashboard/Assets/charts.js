// Bar charts in inline SVG, drawn from the history buckets: no chart library, no canvas, classes for colour (the
// policy allows no inline style), a <title> per bar as its tooltip and a summary for screen readers.

import { svg, h, replace } from './dom.js';
import { clock, number } from './format.js';

const HEIGHT = 156;
const MARGIN = { top: 10, right: 10, bottom: 24, left: 42 };
const LABEL_SPACING = 70;
const LABEL_STEPS = [1, 2, 5, 10, 15, 20, 30, 60, 120, 240];

/**
 * Draws stacked bars into container.
 * buckets: [{ start: Date, values: { [seriesKey]: number } }], oldest first.
 * series: [{ key, label, cls }] bottom to top.
 */
export function barChart(container, { buckets, series, bucketMs, observingSince, label }) {
  const width = Math.max(300, Math.floor(container.clientWidth || 560));
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const totals = buckets.map((bucket) => series.reduce((sum, s) => sum + (bucket.values[s.key] ?? 0), 0));
  const max = Math.max(0, ...totals);
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1];
  const band = plotWidth / Math.max(1, buckets.length);
  const barWidth = Math.max(1, Math.min(band * 0.72, 18));
  const y = (value) => MARGIN.top + plotHeight - (value / top) * plotHeight;
  const withSeconds = bucketMs < 60_000;

  const root = svg('svg', {
    class: 'chart-svg', width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': summary(label, buckets, totals, withSeconds),
  });

  for (const tick of ticks) {
    root.append(
      svg('line', { class: tick === 0 ? 'axis-line' : 'grid-line', x1: MARGIN.left, x2: width - MARGIN.right, y1: y(tick), y2: y(tick) }),
      svg('text', { class: 'axis-label', x: MARGIN.left - 6, y: y(tick) + 3.5, 'text-anchor': 'end' }, compact(tick)),
    );
  }

  const firstObserved = observingSince
    ? buckets.findIndex((bucket) => bucket.start.getTime() + bucketMs > observingSince.getTime())
    : 0;
  const unobserved = firstObserved < 0 ? buckets.length : firstObserved;
  if (unobserved > 0) {
    root.append(svg('rect', { class: 'unobserved', x: MARGIN.left, y: MARGIN.top, width: unobserved * band, height: plotHeight }));
    if (unobserved * band > 110) {
      root.append(svg('text', { class: 'unobserved-label', x: MARGIN.left + (unobserved * band) / 2, y: MARGIN.top + plotHeight / 2, 'text-anchor': 'middle' }, 'not observed yet'));
    }
  }

  buckets.forEach((bucket, i) => {
    const group = svg('g', { class: 'bar' });
    const x = MARGIN.left + i * band + (band - barWidth) / 2;
    let stacked = 0;
    for (const s of series) {
      const value = bucket.values[s.key] ?? 0;
      if (value <= 0) continue;
      const y0 = y(stacked);
      const y1 = y(stacked + value);
      group.append(svg('rect', { class: `bar-part ${s.cls}`, x, y: y1, width: barWidth, height: Math.max(1, y0 - y1) }));
      stacked += value;
    }

    group.append(svg('rect', { class: 'bar-hover', x: MARGIN.left + i * band, y: MARGIN.top, width: band, height: plotHeight },
      svg('title', {}, tooltip(bucket, series, withSeconds))));
    root.append(group);
  });

  const step = LABEL_STEPS.find((s) => s * band >= LABEL_SPACING) ?? buckets.length;
  buckets.forEach((bucket, i) => {
    if (Math.round(bucket.start.getTime() / bucketMs) % step !== 0) return;
    const x = MARGIN.left + i * band + band / 2;
    if (x < MARGIN.left + 16 || x > width - MARGIN.right - 16) return;
    root.append(
      svg('line', { class: 'tick-line', x1: x, x2: x, y1: y(0), y2: y(0) + 4 }),
      svg('text', { class: 'axis-label', x, y: HEIGHT - 6, 'text-anchor': 'middle' }, clock(bucket.start, withSeconds)),
    );
  });

  replace(container, root);
}

/** The legend of a chart's series, as a list (the colour swatch is decoration; the label carries the meaning). */
export function legend(list, series) {
  replace(list, series.map((s) => h('li', {}, h('span', { class: `swatch ${s.cls}`, 'aria-hidden': 'true' }), s.label)));
}

function niceTicks(max) {
  if (max <= 0) return [0, 1];
  const rough = max / 3;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough);
  const ticks = [];
  for (let value = 0; value < max + step / 2 && ticks.length < 8; value += step) ticks.push(value);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks.map((value) => Math.round(value * 1000) / 1000);
}

function compact(value) {
  if (value >= 1_000_000) return `${Math.round(value / 100_000) / 10}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 1000) return `${Math.round(value / 100) / 10}k`;
  return String(value);
}

function tooltip(bucket, series, withSeconds) {
  const parts = series.map((s) => [s.label, bucket.values[s.key] ?? 0]).filter(([, value]) => value > 0);
  const what = parts.length ? parts.map(([name, value]) => `${name}: ${number(value)}`).join(', ') : 'none';
  return `${clock(bucket.start, withSeconds)} — ${what}`;
}

function summary(label, buckets, totals, withSeconds) {
  const total = totals.reduce((sum, value) => sum + value, 0);
  if (total === 0) return `${label}: none in the window shown.`;
  const peak = Math.max(...totals);
  const at = buckets[totals.indexOf(peak)].start;
  return `${label}: ${number(total)} in the window shown, at most ${number(peak)} per bar (at ${clock(at, withSeconds)}).`;
}
