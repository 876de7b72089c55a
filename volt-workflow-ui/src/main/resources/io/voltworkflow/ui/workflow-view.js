// One workflow, live: header, DAG, timeline, steps and event log, with Start / Pause / Resume / Cancel.
//
// The page never re-implements the engine's state machine: every event only triggers a (debounced) re-fetch of
// the status JSON, which is the single source of truth. Events are kept by sequence number, so an event that
// arrives twice (socket and poll overlapping, or a reconnect) is shown once, in order.
//
// Mount on an element with data attributes (see README.md of volt-workflow-ui):
//   data-status-url, data-events-url, data-action-url (optional: no buttons without it),
//   data-stream-url (optional, server mode only), data-patches-url (optional: no download button without it),
//   data-mode="server" (default) | "jenkins".

import { h, replaceChildren } from './dom.js';
import {
  TERMINAL_STATES, formatDateTime, formatDuration, formatNumber, formatTime, label, repairRoundText, spanMs, stateClass,
} from './format.js';
import { createHttpClient, readToken, withQuery } from './http.js';
import { createLiveFeed } from './live-feed.js';
import { layoutDag, renderDag, taskTitles, zoomDag } from './dag.js';
import { renderTimeline } from './timeline.js';

const POLL_INTERVAL_MS = 2000;
const STATUS_DEBOUNCE_MS = 150;
const MAX_EVENT_PAGES = 100;
const ZOOM_STEP = 1.25;
const MIN_ZOOM = 0.01;
const MAX_ZOOM = 2;
const MAX_MESSAGE_CHARS = 240;

// Start exists only on the standalone server (a Jenkins build starts its workflow itself).
const ACTIONS = [
  { name: 'start', text: 'Start', enabledIn: ['created', 'initialized'], serverOnly: true },
  { name: 'pause', text: 'Pause', enabledIn: ['running'] },
  { name: 'resume', text: 'Resume', enabledIn: ['paused', 'failed'] },
  { name: 'cancel', text: 'Cancel…', enabledIn: ['created', 'initialized', 'running', 'paused'], danger: true },
];

/** The host says whether a resume is accepted now (a finished Jenkins build cannot resume its workflow). */
function resumable(status) {
  return status?.resumable ?? ['paused', 'failed'].includes(status?.state);
}

const STEP_STATES = ['pending', 'running', 'retry_wait', 'completed', 'failed', 'cancelled', 'skipped'];

/** A progress message ("running the validation command") describes work under way, so only an active step shows it. */
const STEP_ACTIVE_STATES = new Set(['running', 'retry_wait']);

/**
 * A step still pending when its workflow has ended will never run: it is shown as skipped, not as waiting. Progress
 * messages are dropped once their step (or the workflow) is over, so a finished step never reads as still working.
 */
function withSettledSteps(status) {
  const ended = TERMINAL_STATES.has(status.state);
  const steps = status.steps.map((step) => {
    const state = ended && step.state === 'pending' ? 'skipped' : step.state;
    const progressMessage = STEP_ACTIVE_STATES.has(state) ? step.progressMessage : null;
    return state === step.state && progressMessage === step.progressMessage ? step : { ...step, state, progressMessage };
  });
  const progress = ended && status.progress?.message ? { ...status.progress, message: null } : status.progress;
  return { ...status, steps, progress };
}

function readConfig(dataset) {
  const mode = dataset.mode === 'jenkins' ? 'jenkins' : 'server';
  const missing = ['statusUrl', 'eventsUrl'].filter((key) => !dataset[key]);
  if (missing.length) {
    throw new Error(`workflow view: missing ${missing.map((key) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')}`);
  }
  return {
    mode,
    statusUrl: dataset.statusUrl,
    eventsUrl: dataset.eventsUrl,
    actionUrl: dataset.actionUrl ? dataset.actionUrl.replace(/\/+$/, '') : null,
    streamUrl: mode === 'server' ? (dataset.streamUrl || null) : null,
    patchesUrl: dataset.patchesUrl || null,
  };
}

function isStatus(value) {
  return value !== null && typeof value === 'object' && typeof value.state === 'string' && Array.isArray(value.steps);
}

function eventSummary(data) {
  if (data === null || data === undefined || typeof data !== 'object') return data === undefined || data === null ? '' : String(data);
  return Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === 'object' && value !== null ? JSON.stringify(value) : value}`)
    .join('  ');
}

/** What an event says, in words: its error, message or reason, attempt and timings; the raw JSON has the rest. */
function eventMessage(event) {
  const data = event.data;
  if (data === null || data === undefined || typeof data !== 'object') return eventSummary(data);
  const parts = [];
  if (data.error && typeof data.error === 'object') parts.push(`${data.error.code ?? 'ERROR'}: ${data.error.message ?? ''}`);
  if (typeof data.message === 'string' && data.message) parts.push(data.message);
  if (typeof data.reason === 'string' && data.reason) parts.push(data.reason);
  if (Number.isFinite(data.attempt)) parts.push(`attempt ${data.attempt}`);
  if (Number.isFinite(data.durationMs)) parts.push(`took ${formatDuration(data.durationMs)}`);
  if (Number.isFinite(data.delayMs)) parts.push(`next try in ${formatDuration(data.delayMs)}`);
  if (Array.isArray(data.addedSteps)) parts.push(`${data.addedSteps.length} steps added`);
  if (Array.isArray(data.rerunSteps) && data.rerunSteps.length) parts.push(`re-runs ${data.rerunSteps.length} steps`);
  if (Number.isFinite(data.fromSequence)) parts.push(`events ${data.fromSequence}–${data.toSequence} lost`);
  const text = parts.length ? parts.join(' · ') : (data.definition || data.result ? '' : eventSummary(data));
  return text.length > MAX_MESSAGE_CHARS ? `${text.slice(0, MAX_MESSAGE_CHARS - 1)}…` : text;
}

function eventTone(type) {
  if (/failed|cancelled|lost/.test(type)) return 'bad';
  if (/retrying|paused|repair/.test(type)) return 'warn';
  if (/completed/.test(type)) return 'good';
  if (/started|resumed/.test(type)) return 'info';
  return 'neutral';
}

/**
 * Mounts the live view on root and starts updating it.
 * @returns {{ destroy(): void }}
 */
export function mountWorkflowView(root) {
  const config = readConfig(root.dataset);
  const http = createHttpClient({ mode: config.mode });

  let status = null;
  let layout = null;
  let zoom = 1;
  let selectedStep = null;
  let cursor = 0; // highest sequence up to which the log has no gaps
  let finished = false;
  let busyAction = null;
  let confirmingCancel = false;
  let destroyed = false;
  const seen = new Set();
  const openDetails = new Set();
  let statusTimer = null;
  let statusInFlight = false;
  let statusDirty = false;
  let catchingUp = null;
  let ticker = null;

  // ---- skeleton --------------------------------------------------------------------------------------------
  const requirementEl = h('h2', { class: 'vw-requirement', text: 'Loading workflow…' });
  const badgeEl = h('span', { class: 'vw-badge' });
  const metaEl = h('p', { class: 'vw-meta' });
  const contextEl = h('dl', { class: 'vw-context' });
  const progressFill = h('div', { class: 'vw-progress-fill' });
  const progressTrack = h('div', {
    class: 'vw-progress-track', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': 'Workflow progress',
  }, progressFill);
  const progressText = h('span', { class: 'vw-progress-text' });
  const actionsEl = h('div', { class: 'vw-actions', role: 'group', 'aria-label': 'Workflow actions' });
  const connectionEl = h('span', { class: 'vw-connection', role: 'status' });
  // Fetched, not linked: the request needs the tab's token (server) or the session (Jenkins).
  const patchesButton = config.patchesUrl && h('button', {
    type: 'button', class: 'vw-button vw-button-quiet vw-download-patches', text: 'Download patches',
    title: 'Every generated patch, each repair round\'s, with engine, model, prompt hash and times (JSON)',
    onclick: () => downloadPatches(),
  });
  const alertEl = h('div', { class: 'vw-alert', role: 'alert', hidden: true });
  const workflowErrorEl = h('div', { class: 'vw-workflow-error', hidden: true });
  const deliveryEl = h('p', { class: 'vw-delivery', hidden: true });
  const dagEl = h('div', { class: 'vw-dag', tabindex: -1 });
  const zoomText = h('span', { class: 'vw-zoom-level', 'aria-live': 'polite' });
  const zoomButton = (action, text, title, onclick) => h('button', {
    type: 'button', class: 'vw-button vw-button-quiet vw-zoom-button', dataset: { zoom: action }, title, 'aria-label': title, text, onclick,
  });
  const zoomControls = h('div', { class: 'vw-zoom', role: 'group', 'aria-label': 'Graph zoom' },
    zoomButton('out', '−', 'Zoom out', () => zoomBy(1 / ZOOM_STEP)),
    zoomText,
    zoomButton('in', '+', 'Zoom in', () => zoomBy(ZOOM_STEP)),
    zoomButton('fit', 'Fit', 'Fit the whole graph', () => fitGraph()),
    zoomButton('actual', '1:1', 'Actual size', () => setZoom(1)));
  const legendEl = h('ul', { class: 'vw-legend', 'aria-label': 'Step states' },
    STEP_STATES.map((state) => h('li', { class: stateClass('vw-step-', state) }, h('span', { class: 'vw-swatch', 'aria-hidden': 'true' }), label(state))));
  const logBody = h('tbody');
  const logEl = h('table', { class: 'vw-log' },
    h('thead', {}, h('tr', {}, ['#', 'Time', 'Type', 'Step', 'Message', h('span', { class: 'vw-visually-hidden', text: 'Raw JSON' })]
      .map((text) => h('th', { scope: 'col' }, text)))),
    logBody);
  const logScroll = h('div', { class: 'vw-log-scroll', role: 'log', 'aria-label': 'Workflow events', tabindex: 0 }, logEl);
  const logCountEl = h('span', { class: 'vw-count' });
  const timelineEl = h('div', { class: 'vw-timeline' });
  const stepsBody = h('tbody');

  root.classList.add('vw-view');
  replaceChildren(root,
    h('header', { class: 'vw-header' },
      h('div', { class: 'vw-title-row' }, requirementEl, badgeEl),
      metaEl,
      contextEl,
      h('div', { class: 'vw-progress' }, progressTrack, progressText),
      h('div', { class: 'vw-toolbar' }, actionsEl, patchesButton, connectionEl),
      deliveryEl,
      alertEl,
      workflowErrorEl),
    h('section', { class: 'vw-panel vw-dag-panel', 'aria-label': 'Graph' },
      h('div', { class: 'vw-panel-head' }, h('h3', { text: 'Graph' }), legendEl, zoomControls),
      dagEl),
    h('div', { class: 'vw-grid' },
      h('section', { class: 'vw-panel', 'aria-label': 'Timeline' },
        h('div', { class: 'vw-panel-head' }, h('h3', { text: 'Timeline' })),
        timelineEl),
      h('section', { class: 'vw-panel vw-log-panel', 'aria-label': 'Events' },
        h('div', { class: 'vw-panel-head' }, h('h3', { text: 'Events' }), logCountEl),
        h('div', { class: 'vw-log-frame' }, logScroll))),
    h('section', { class: 'vw-panel', 'aria-label': 'Steps' },
      h('div', { class: 'vw-panel-head' }, h('h3', { text: 'Steps' })),
      h('div', { class: 'vw-table-wrap' },
        h('table', { class: 'vw-steps' },
          h('thead', {}, h('tr', {},
            ['Step', 'State', 'Attempts', 'Retries', 'Started', 'Duration', 'Error', 'Output'].map((text) => h('th', { scope: 'col', text })))),
          stepsBody))));

  // ---- rendering -------------------------------------------------------------------------------------------
  function showAlert(message) {
    alertEl.hidden = !message;
    alertEl.textContent = message ?? '';
  }

  /** "2 repair rounds for 1 of 3 tasks, $0.0400 per round", or nothing before a task went back to code generation. */
  function repairSummary(repair) {
    if (!repair || !(repair.rounds > 0)) return null;
    const cost = repair.costPerRoundUsd > 0 ? `, $${repair.costPerRoundUsd.toFixed(4)} per round`
      : repair.tokensPerRound > 0 ? `, ${formatNumber(repair.tokensPerRound)} tokens per round` : '';
    return `${formatNumber(repair.rounds)} repair round${repair.rounds === 1 ? '' : 's'} for `
      + `${formatNumber(repair.tasksRepaired)} of ${formatNumber(repair.tasksValidated)} tasks${cost}`;
  }

  function renderHeader() {
    requirementEl.textContent = status.requirement || '(no requirement)';
    requirementEl.title = status.requirement ?? '';
    badgeEl.className = `vw-badge ${stateClass('vw-state-', status.state)}`;
    badgeEl.textContent = label(status.state);
    const duration = spanMs(status.startedAt, status.finishedAt);
    const usage = status.usage;
    const meta = [
      h('span', { class: 'vw-mono', text: status.workflowId }),
      `created ${formatDateTime(status.createdAt)}`,
      status.startedAt && `${status.finishedAt ? 'took' : 'running for'} ${formatDuration(duration)}`,
      usage && (usage.inputTokens || usage.outputTokens) && `${formatNumber(usage.inputTokens)} tokens in · ${formatNumber(usage.outputTokens)} out`,
      usage && usage.costUsd > 0 && `$${usage.costUsd.toFixed(4)}`,
      repairSummary(status.repair),
    ].filter(Boolean);
    replaceChildren(metaEl, meta.flatMap((part, i) => (i === 0 ? [part] : [h('span', { class: 'vw-sep', 'aria-hidden': 'true', text: '·' }), part])));
    const context = Object.entries(status.projectContext ?? {});
    contextEl.hidden = context.length === 0;
    replaceChildren(contextEl, context.map(([key, value]) => h('div', {},
      h('dt', { text: key }), h('dd', { text: typeof value === 'object' ? JSON.stringify(value) : String(value) }))));
    const progress = status.progress ?? {};
    const percent = Math.max(0, Math.min(100, Number(progress.percent) || 0));
    progressFill.style.width = `${percent}%`;
    progressTrack.className = `vw-progress-track ${stateClass('vw-state-', status.state)}`;
    progressTrack.setAttribute('aria-valuenow', String(Math.round(percent)));
    progressText.textContent = `${Math.round(percent)} % · ${progress.completedSteps ?? 0} of ${progress.totalSteps ?? status.steps.length} steps`
      + (progress.message ? ` · ${progress.message}` : '');
    renderDelivery(status.result?.delivery);
    const error = status.error;
    const cancelled = status.state === 'cancelled' ? (status.history ?? []).filter((t) => t.to === 'cancelled').pop() : null;
    workflowErrorEl.hidden = !error && !cancelled;
    if (error) {
      replaceChildren(workflowErrorEl, h('strong', { text: error.code ?? 'ERROR' }), ' ', error.message ?? '',
        error.recoverable && status.state === 'failed' && resumable(status) ? ' — Resume re-runs the steps that did not complete.' : '');
    } else if (cancelled) {
      replaceChildren(workflowErrorEl, h('strong', { text: 'Cancelled' }), ' ', cancelled.reason || 'no reason given');
    }
  }

  /** The branch and pull request the workflow was delivered to; only http(s) links become links. */
  function renderDelivery(delivery) {
    deliveryEl.hidden = !delivery || !delivery.branch || !delivery.headCommit;
    if (deliveryEl.hidden) return;
    const url = typeof delivery.pullRequestUrl === 'string' && /^https?:\/\//i.test(delivery.pullRequestUrl)
      ? delivery.pullRequestUrl : null;
    replaceChildren(deliveryEl,
      'Branch ', h('code', { class: 'vw-mono', text: delivery.branch }),
      url ? [' · ', h('a', { class: 'vw-pr-link', href: url, target: '_blank', rel: 'noopener noreferrer',
        text: delivery.draft ? 'Draft pull request' : 'Pull request' })] : []);
  }

  // The buttons are built once and only updated, so focus and pending clicks survive status refreshes.
  const cancelReason = h('input', {
    type: 'text', class: 'vw-input', name: 'reason', maxlength: 500, placeholder: 'Reason (optional)', 'aria-label': 'Cancellation reason',
  });
  const cancelForm = h('form', {
    class: 'vw-cancel-form',
    hidden: true,
    onsubmit: (event) => {
      event.preventDefault();
      confirmingCancel = false;
      runAction('cancel', { reason: cancelReason.value.trim() || 'Cancelled from the web UI' });
    },
  },
  cancelReason,
  h('button', { type: 'submit', class: 'vw-button vw-button-danger', dataset: { action: 'confirm-cancel' }, text: 'Cancel workflow' }),
  h('button', {
    type: 'button', class: 'vw-button vw-button-quiet', text: 'Keep running',
    onclick: () => { confirmingCancel = false; renderActions(); },
  }));
  const actionButtons = ACTIONS.filter((action) => config.mode === 'server' || !action.serverOnly).map((action) => ({
    action,
    button: h('button', {
      type: 'button',
      class: ['vw-button', action.danger && 'vw-button-danger'],
      dataset: { action: action.name },
      disabled: true,
      text: action.text,
      onclick: () => {
        if (action.name === 'cancel') {
          confirmingCancel = true;
          renderActions();
          cancelReason.focus();
        } else {
          runAction(action.name, {});
        }
      },
    }),
  }));
  replaceChildren(actionsEl, actionButtons.map(({ button }) => button), cancelForm);

  function renderActions() {
    const state = status?.state;
    // A failed workflow keeps its actions: Resume re-runs what did not complete.
    actionsEl.hidden = !config.actionUrl || (TERMINAL_STATES.has(state) && state !== 'failed');
    const cancellable = ACTIONS.find((action) => action.name === 'cancel').enabledIn.includes(state);
    confirmingCancel &&= cancellable;
    for (const { action, button } of actionButtons) {
      button.disabled = busyAction !== null || !action.enabledIn.includes(state) || (action.name === 'cancel' && confirmingCancel)
        || (action.name === 'resume' && !resumable(status));
      button.title = action.name === 'resume' && action.enabledIn.includes(state) && !resumable(status)
        ? 'This workflow can no longer be resumed here (its build has ended).' : '';
      button.textContent = busyAction === action.name ? `${action.text.replace('…', '')}…` : action.text;
    }
    cancelForm.hidden = !confirmingCancel;
  }

  async function downloadPatches() {
    try {
      const history = await http.getJson(config.patchesUrl);
      const file = URL.createObjectURL(new Blob([JSON.stringify(history, null, 2)], { type: 'application/json' }));
      const link = h('a', { href: file, download: `${status?.workflowId ?? 'workflow'}-patches.json`, hidden: true });
      root.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(file), 0);
    } catch (error) {
      showAlert(`Cannot download the patches: ${error.message}`);
    }
  }

  // ---- zoom and pan: the drawing is scaled (its view box keeps the layout's coordinates) and the frame scrolls.
  function setZoom(next, anchor) {
    const clamped = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, next));
    const svg = dagEl.querySelector('svg.vw-dag-svg');
    if (svg && layout) {
      // Keep the point under the anchor (the pointer, or the frame's centre) where it is.
      const point = anchor ?? { x: dagEl.clientWidth / 2, y: dagEl.clientHeight / 2 };
      const ratio = clamped / zoom;
      const left = (dagEl.scrollLeft + point.x) * ratio - point.x;
      const top = (dagEl.scrollTop + point.y) * ratio - point.y;
      zoomDag(svg, layout, clamped);
      dagEl.scrollLeft = Math.max(0, left);
      dagEl.scrollTop = Math.max(0, top);
    }
    zoom = clamped;
    zoomText.textContent = `${Math.round(zoom * 100)} %`;
  }

  function zoomBy(factor) {
    setZoom(zoom * factor);
  }

  function fitGraph() {
    if (!layout) return;
    const width = Math.max(1, dagEl.clientWidth - 2);
    const height = Math.max(1, parseFloat(getComputedStyle(dagEl).maxHeight) || dagEl.clientHeight);
    setZoom(Math.min(1, width / layout.width, height / layout.height));
    dagEl.scrollLeft = 0;
    dagEl.scrollTop = 0;
  }

  dagEl.addEventListener('wheel', (event) => {
    if (!event.ctrlKey && !event.metaKey) return; // plain wheel scrolls
    event.preventDefault();
    const frame = dagEl.getBoundingClientRect();
    setZoom(zoom * (event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP), { x: event.clientX - frame.left, y: event.clientY - frame.top });
  }, { passive: false });

  let pan = null;
  dagEl.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || event.target.closest?.('.vw-node')) return;
    pan = { id: event.pointerId, x: event.clientX, y: event.clientY, left: dagEl.scrollLeft, top: dagEl.scrollTop };
    dagEl.setPointerCapture(event.pointerId);
    dagEl.classList.add('vw-panning');
  });
  dagEl.addEventListener('pointermove', (event) => {
    if (!pan || event.pointerId !== pan.id) return;
    dagEl.scrollLeft = pan.left - (event.clientX - pan.x);
    dagEl.scrollTop = pan.top - (event.clientY - pan.y);
  });
  const endPan = (event) => {
    if (!pan || event.pointerId !== pan.id) return;
    pan = null;
    dagEl.classList.remove('vw-panning');
  };
  dagEl.addEventListener('pointerup', endPan);
  dagEl.addEventListener('pointercancel', endPan);
  setZoom(1);

  function selectStep(name) {
    selectedStep = name;
    openDetails.add(name);
    renderGraphAndSteps();
    stepsBody.querySelector('tr.vw-selected')?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }

  let renderedKey = null;

  /** Redraws graph, timeline and table when the steps (or the selection) changed; keeps focus and scrolling. */
  function renderGraphAndSteps() {
    const key = JSON.stringify([status.steps, selectedStep]);
    if (key === renderedKey) return;
    renderedKey = key;
    layout = layoutDag(status.steps);
    const focusedStep = dagEl.contains(document.activeElement) ? document.activeElement.dataset?.step : undefined;
    const scroll = { left: dagEl.scrollLeft, top: dagEl.scrollTop };
    replaceChildren(dagEl, status.steps.length ? renderDag(layout, { onSelect: selectStep, selectedStep, zoom })
      : h('p', { class: 'vw-empty', text: 'This workflow has no steps yet.' }));
    dagEl.scrollLeft = scroll.left;
    dagEl.scrollTop = scroll.top;
    if (focusedStep !== undefined) {
      [...dagEl.querySelectorAll('.vw-node')].find((node) => node.dataset.step === focusedStep)?.focus({ preventScroll: true });
    }
    renderTimelinePanel();
    renderSteps();
  }

  function renderTimelinePanel() {
    if (!layout) return;
    const chart = renderTimeline(layout.nodes.map((node) => node.step), timelineEl.clientWidth || 800, Date.now());
    replaceChildren(timelineEl, chart ?? h('p', { class: 'vw-empty', text: 'No step has started yet.' }));
  }

  function renderSteps() {
    const tasks = taskTitles(status.steps);
    replaceChildren(stepsBody, layout.nodes.map(({ step }) => {
      const output = step.output === null || step.output === undefined ? null : JSON.stringify(step.output, null, 2);
      const details = output === null ? h('span', { class: 'vw-muted', text: '—' }) : h('details', {
        open: openDetails.has(step.name),
        ontoggle: (event) => (event.target.open ? openDetails.add(step.name) : openDetails.delete(step.name)),
      }, h('summary', { text: 'Show' }), h('pre', { class: 'vw-output', text: output }));
      const error = step.error;
      return h('tr', {
        class: [stateClass('vw-step-', step.state), step.name === selectedStep && 'vw-selected'],
        dataset: { step: step.name },
      },
      h('th', { scope: 'row' },
        h('span', { class: 'vw-step-name', text: step.name }),
        tasks.has(step.name) && h('span', { class: 'vw-step-task', text: tasks.get(step.name).title }),
        h('span', { class: 'vw-step-type', text: label(step.type) }),
        repairRoundText(step) && h('span', { class: 'vw-step-repair', text: repairRoundText(step) }),
        step.progressMessage && h('span', { class: 'vw-step-progress', text: step.progressMessage })),
      h('td', {}, h('span', { class: ['vw-badge', stateClass('vw-state-', step.state)], text: label(step.state) })),
      h('td', { class: 'vw-num', text: `${step.attempts ?? 0} / ${step.maxAttempts ?? '?'}` }),
      h('td', { class: 'vw-num', text: String(Math.max(0, (step.attempts ?? 0) - 1)) }),
      h('td', { class: 'vw-num', text: formatTime(step.startedAt) }),
      h('td', { class: 'vw-num', text: formatDuration(step.durationMs ?? spanMs(step.startedAt, step.finishedAt)) }),
      h('td', { class: 'vw-error-cell' }, error
        ? [h('code', { text: error.code ?? 'ERROR' }), ' ', error.message ?? '', error.retryable ? h('span', { class: 'vw-tag', text: 'retryable' }) : null]
        : h('span', { class: 'vw-muted', text: '—' })),
      h('td', {}, details));
    }));
  }

  function renderConnection(connection) {
    const texts = {
      live: 'Live',
      polling: `Updating every ${POLL_INTERVAL_MS / 1000} s`,
      reconnecting: `Reconnecting in ${Math.round((connection.retryInMs ?? 0) / 1000)} s`,
      error: `Connection problem: ${connection.error?.message ?? 'unknown'} — retrying`,
      finished: 'Finished',
      loading: 'Connecting…',
    };
    connectionEl.className = `vw-connection vw-connection-${connection.kind}`;
    connectionEl.textContent = texts[connection.kind] ?? '';
  }

  /** One row per event, in sequence order; its raw JSON opens in a row below it. */
  function insertLogEntry(event) {
    const atBottom = logScroll.scrollHeight - logScroll.scrollTop - logScroll.clientHeight < 24;
    let raw = null;
    const toggle = h('button', {
      type: 'button', class: 'vw-button vw-button-quiet vw-event-json', text: '{ }',
      title: `Raw JSON of event #${event.sequence}`, 'aria-label': `Raw JSON of event #${event.sequence}`, 'aria-expanded': 'false',
      onclick: () => {
        if (raw) {
          raw.remove();
          raw = null;
        } else {
          raw = h('tr', { class: 'vw-event-raw', dataset: { rawOf: event.sequence } },
            h('td', { colspan: 6 }, h('pre', { class: 'vw-output', text: JSON.stringify(event, null, 2) })));
          entry.after(raw);
        }
        toggle.setAttribute('aria-expanded', String(raw !== null));
      },
    });
    const entry = h('tr', { class: `vw-event vw-tone-${eventTone(String(event.type))}`, dataset: { sequence: event.sequence } },
      h('td', { class: 'vw-event-seq', text: String(event.sequence) }),
      h('td', { class: 'vw-event-time' }, h('time', { datetime: event.timestamp ?? '', title: event.timestamp ?? '', text: formatTime(event.timestamp) })),
      h('td', { class: 'vw-event-type', text: label(event.type) }),
      h('td', { class: 'vw-event-step', text: event.step ?? '' }),
      h('td', { class: 'vw-event-message', text: eventMessage(event) }),
      h('td', {}, toggle));
    const rows = logBody.querySelectorAll('tr.vw-event');
    let before = rows[rows.length - 1] ?? null;
    while (before && Number(before.dataset.sequence) > event.sequence) {
      const previous = before.previousElementSibling;
      before = previous?.classList.contains('vw-event-raw') ? previous.previousElementSibling : previous;
    }
    const anchor = before ? (before.nextElementSibling?.classList.contains('vw-event-raw') ? before.nextElementSibling : before) : null;
    logBody.insertBefore(entry, anchor ? anchor.nextSibling : logBody.firstChild);
    if (atBottom) logScroll.scrollTop = logScroll.scrollHeight;
  }

  // ---- data ------------------------------------------------------------------------------------------------
  /** authoritative: the batch is the server's complete answer for everything after the cursor. */
  function acceptEvents(events, authoritative) {
    let added = 0;
    let highest = cursor;
    for (const event of events ?? []) {
      if (!event || !Number.isInteger(event.sequence) || event.sequence < 1) continue;
      if (status?.workflowId && event.workflowId && event.workflowId !== status.workflowId) continue;
      highest = Math.max(highest, event.sequence);
      if (seen.has(event.sequence)) continue;
      seen.add(event.sequence);
      insertLogEntry(event);
      added++;
    }
    if (authoritative) cursor = Math.max(cursor, highest);
    while (seen.has(cursor + 1)) cursor++;
    if (added) {
      logCountEl.textContent = `${seen.size}`;
      scheduleStatusRefresh(STATUS_DEBOUNCE_MS);
    }
  }

  function catchUpEvents() {
    catchingUp ??= (async () => {
      try {
        for (let page = 0; page < MAX_EVENT_PAGES && !destroyed; page++) {
          const answer = await http.getJson(withQuery(config.eventsUrl, { after: cursor }));
          const events = answer?.events ?? [];
          acceptEvents(events, true);
          const last = Number(answer?.lastSequence ?? 0);
          if (events.length === 0) {
            cursor = Math.max(cursor, last); // nothing left to fetch up to `last` (e.g. pruned history)
            break;
          }
          if (cursor >= last) break;
        }
      } finally {
        catchingUp = null;
      }
    })();
    return catchingUp;
  }

  function applyStatus(next) {
    if (destroyed || !isStatus(next)) return;
    status = withSettledSteps(next);
    renderHeader();
    renderActions();
    renderGraphAndSteps();
    const running = status.steps.some((step) => step.state === 'running');
    if (running && ticker === null) ticker = setInterval(renderTimelinePanel, 1000);
    if (!running && ticker !== null) {
      clearInterval(ticker);
      ticker = null;
    }
    if (!TERMINAL_STATES.has(status.state) && finished) {
      // Resumed after a failure: live again.
      finished = false;
      feed.start();
    }
    if (TERMINAL_STATES.has(status.state) && !finished) {
      finished = true;
      catchUpEvents().catch(() => {}).finally(() => {
        if (!finished) return; // resumed meanwhile
        feed.stop();
        if (!destroyed) renderConnection({ kind: 'finished' });
      });
    }
  }

  function scheduleStatusRefresh(delayMs) {
    if (statusTimer !== null || destroyed) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      refreshStatus();
    }, delayMs);
  }

  async function refreshStatus() {
    if (statusInFlight) {
      statusDirty = true;
      return;
    }
    statusInFlight = true;
    try {
      applyStatus(await http.getJson(config.statusUrl));
      if (alertEl.dataset.source === 'load') showAlert(null);
    } catch (error) {
      showAlert(`Cannot load the workflow: ${error.message}`);
      alertEl.dataset.source = 'load';
    } finally {
      statusInFlight = false;
      if (statusDirty) {
        statusDirty = false;
        scheduleStatusRefresh(0);
      }
    }
  }

  async function runAction(name, body) {
    busyAction = name;
    renderActions();
    try {
      const result = await http.postJson(`${config.actionUrl}/${name}`, body);
      showAlert(null);
      if (isStatus(result)) applyStatus(result);
      else await refreshStatus();
    } catch (error) {
      showAlert(`${name[0].toUpperCase()}${name.slice(1)} failed: ${error.message}`);
      alertEl.dataset.source = 'action';
    } finally {
      busyAction = null;
      if (!destroyed) renderActions();
    }
  }

  const feed = createLiveFeed({
    streamUrl: config.streamUrl,
    streamParams: () => ({ after: cursor, access_token: readToken() }),
    onStreamEvents: (events) => acceptEvents(events, false),
    poll: async () => {
      await catchUpEvents();
      if (config.mode === 'jenkins' || status === null) await refreshStatus();
    },
    pollIntervalMs: POLL_INTERVAL_MS,
    onConnection: (connection) => {
      if (!finished && !destroyed) renderConnection(connection);
    },
  });

  const resizeObserver = new ResizeObserver(() => renderTimelinePanel());
  resizeObserver.observe(timelineEl);

  renderConnection({ kind: 'loading' });
  renderActions();
  Promise.allSettled([refreshStatus(), catchUpEvents()]).then(() => {
    if (!finished && !destroyed) feed.start();
  });

  return {
    destroy() {
      destroyed = true;
      feed.stop();
      clearTimeout(statusTimer);
      clearInterval(ticker);
      resizeObserver.disconnect();
      root.replaceChildren();
      root.classList.remove('vw-view');
    },
  };
}
