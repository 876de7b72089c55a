// The Webhooks page of the standalone server: each subscription (never its secret) with its latest deliveries, and a
// button that sends a delivery again with the same delivery id.

import { h, replaceChildren } from './dom.js';
import { formatDateTime, label, stateClass } from './format.js';

const DELIVERY_PAGE = 20;
const STATE_CLASS = { pending: 'pending', delivered: 'completed', dead: 'failed' };

/** Scheme and host only: chat tools' incoming-webhook URLs carry a credential in their path. */
function target(url) {
  try {
    return new URL(url).origin;
  } catch {
    return '(invalid URL)';
  }
}

function deliveryRow(http, api, hook, delivery, reload, report) {
  const redeliver = h('button', {
    type: 'button',
    class: 'vw-button redeliver',
    text: delivery.state === 'pending' ? 'Send now' : 'Redeliver',
    'aria-label': `Redeliver ${delivery.deliveryId}`,
    onclick: async () => {
      redeliver.disabled = true;
      try {
        await http.postJson(`${api}/webhooks/${encodeURIComponent(hook.id)}/deliveries/${encodeURIComponent(delivery.deliveryId)}/redeliver`);
        report(`Delivery ${delivery.deliveryId} queued again.`);
        reload();
      } catch (error) {
        report(error.message);
        redeliver.disabled = false;
      }
    },
  });
  const outcome = delivery.lastError ?? (delivery.lastStatus ? `HTTP ${delivery.lastStatus}` : '—');
  return h('tr', { dataset: { deliveryId: delivery.deliveryId, state: delivery.state } },
    h('td', {}, h('code', { text: delivery.deliveryId })),
    h('td', { text: label(delivery.event) }),
    h('td', {}, h('a', { href: `#/workflows/${encodeURIComponent(delivery.workflowId)}`, text: delivery.workflowId })),
    h('td', {}, h('span', { class: ['vw-badge', stateClass('vw-state-', STATE_CLASS[delivery.state] ?? 'pending')], text: label(delivery.state) })),
    h('td', { class: 'vw-num', text: String(delivery.attempts) }),
    h('td', { text: outcome }),
    h('td', { text: formatDateTime(delivery.lastAttemptAt ?? delivery.createdAt) }),
    h('td', {}, redeliver));
}

function hookPanel(http, api, hook, deliveries, reload, report) {
  return h('section', { class: 'vw-panel webhook', dataset: { webhookId: hook.id } },
    h('div', { class: 'vw-panel-head' },
      h('h3', { text: hook.id }),
      h('span', { class: 'vw-muted', text: `${target(hook.url)} · ${hook.format} · ${hook.origin === 'api' ? 'made over the API' : 'configuration file'}` })),
    h('p', { class: 'vw-muted', text: `Events: ${hook.events.map(label).join(', ')}`
      + (Object.keys(hook.labels).length ? ` · labels ${Object.entries(hook.labels).map(([k, v]) => `${k}=${v}`).join(', ')}` : '') }),
    deliveries.length === 0 ? h('p', { class: 'vw-empty', text: 'No deliveries yet.' })
      : h('div', { class: 'vw-table-wrap' }, h('table', { class: 'vw-steps deliveries' },
        h('thead', {}, h('tr', {}, ['Delivery', 'Event', 'Workflow', 'State', 'Attempts', 'Last outcome', 'When', ''].map((text) => h('th', { scope: 'col', text })))),
        h('tbody', {}, deliveries.map((d) => deliveryRow(http, api, hook, d, reload, report))))));
}

/** Mounts the page into {@code main}; returns the function that leaves it. */
export function webhooksRoute({ main, http, api, pageHead, errorBox }) {
  const status = h('p', { class: 'vw-muted', role: 'status', 'aria-live': 'polite' });
  const body = h('div', { class: 'webhooks' }, h('p', { class: 'vw-empty', text: 'Loading…' }));
  let active = true;
  async function load() {
    try {
      const { webhooks } = await http.getJson(`${api}/webhooks`);
      const lists = await Promise.all(webhooks.map((hook) => http.getJson(
        `${api}/webhooks/${encodeURIComponent(hook.id)}/deliveries?limit=${DELIVERY_PAGE}`)));
      if (!active) return;
      replaceChildren(body, webhooks.length === 0
        ? h('p', { class: 'vw-empty', text: 'No webhooks. Subscribe in the configuration file or with POST /api/v1/webhooks (docs/webhooks.md).' })
        : webhooks.map((hook, i) => hookPanel(http, api, hook, lists[i].deliveries, load, (text) => { status.textContent = text; })));
    } catch (error) {
      if (active) replaceChildren(body, errorBox(error));
    }
  }
  replaceChildren(main, pageHead('Webhooks', h('button', { type: 'button', class: 'vw-button', text: 'Refresh', onclick: () => load() })), status, body);
  load();
  return () => { active = false; };
}
