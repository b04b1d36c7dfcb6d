// Pause, resume and poll-now buttons. A button the caller may not use stays visible and focusable but marked
// aria-disabled, and says why when pressed — so a Reader learns that the action needs an Admin key.

import { h } from './dom.js';

export const ACTIONS = {
  pause: { label: 'Pause', path: '/pause', done: 'Pause requested' },
  resume: { label: 'Resume', path: '/resume', done: 'Resume requested' },
  poll: { label: 'Poll now', path: '/poll', done: 'Poll requested' },
};

/** handlers: { run(action, tenant), explain(message) } */
export function actionButtons(tenant, session, handlers, { compact = false } = {}) {
  const toggle = tenant.paused ? 'resume' : 'pause';
  return [
    button(toggle, tenant, session, handlers, compact),
    button('poll', tenant, session, handlers, compact),
  ];
}

function button(action, tenant, session, handlers, compact) {
  const reason = whyNot(action, tenant, session);
  const name = tenant.displayName || tenant.tenantId;
  return h('button', {
    type: 'button',
    class: ['btn', compact ? 'btn-small' : null, action === 'pause' ? 'btn-warn' : 'btn-secondary'],
    dataset: { action },
    'aria-disabled': reason ? 'true' : null,
    'aria-label': `${ACTIONS[action].label} ${name}`,
    title: reason ?? null,
    onclick: (event) => {
      event.preventDefault();
      if (reason) handlers.explain(reason);
      else handlers.run(action, tenant);
    },
  }, ACTIONS[action].label);
}

function whyNot(action, tenant, session) {
  if (!session.canManage) return `${ACTIONS[action].label} needs an Admin key; you are signed in as ${session.roles.join(', ') || 'a reader'}.`;
  if (!tenant.managed) return 'This tenant is configured in a silo\'s settings, not through the API; change it there.';
  if (action === 'poll' && tenant.paused) return 'The tenant is paused; resume it to poll.';
  return null;
}
