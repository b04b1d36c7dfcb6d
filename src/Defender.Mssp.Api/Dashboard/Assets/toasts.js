// Short confirmations and failures of the operator's actions, announced politely to screen readers.

import { h } from './dom.js';

const LIFETIME_MS = 7000;
const MAX_TOASTS = 4;

export function toast(container, message, tone = 'info') {
  const item = h('div', { class: ['toast', `toast-${tone}`] },
    h('span', { class: 'toast-text' }, message),
    h('button', { type: 'button', class: 'toast-close', 'aria-label': 'Dismiss', onclick: () => item.remove() }, '×'));
  container.append(item);
  while (container.children.length > MAX_TOASTS) container.firstElementChild.remove();
  setTimeout(() => item.remove(), LIFETIME_MS);
}
