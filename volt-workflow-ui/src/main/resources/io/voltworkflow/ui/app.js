// The standalone server's web app: workflow list, create form, live detail view and analytics, with hash routing
// (#/workflows, #/workflows?state=failed, #/workflows/<id>, #/new, #/analytics, #/webhooks).

import { h, replaceChildren } from './dom.js';
import {
  formatDateTime, formatDuration, formatNumber, formatPercent, label, spanMs, stateClass,
} from './format.js';
import { createHttpClient, readToken, withQuery, writeToken } from './http.js';
import { mountWorkflowView } from './workflow-view.js';
import { groupedBarChart, horizontalBarChart } from './charts.js';
import { webhooksRoute } from './webhooks-page.js';

const API = (document.body.dataset.apiBase || '/api/v1').replace(/\/+$/, '');
const WORKFLOW_STATES = ['created', 'initialized', 'running', 'paused', 'completed', 'failed', 'cancelled'];
const LIST_REFRESH_MS = 5000;
const http = createHttpClient({ mode: 'server' });
const main = document.getElementById('app-main');

const workflowUrl = (id) => `${API}/workflows/${encodeURIComponent(id)}`;

// A refused request without a token is the first thing a newcomer sees: say where the token is, not the refusal.
function errorBox(error) {
  if (error.status === 401) {
    const explanation = readToken()
      ? 'The server refused the API token set for this tab. Check it against the server\'s token: '
      : 'This server needs an API token. ';
    return h('div', { class: 'vw-alert vw-token-help', role: 'alert' },
      explanation, "'volt serve' keeps it in ", h('code', { text: '<data-dir>/api-token' }),
      ' (', h('code', { text: './volt-data/api-token' }), " by default; the server printed the file's path when it"
      + " started), or it is the one given with --token-file or $VOLT_WORKFLOW_TOKEN. Paste it into the API token"
      + ' field above and press Save.');
  }
  return h('div', { class: 'vw-alert', role: 'alert', text: error.message });
}

function pageHead(title, ...actions) {
  return h('div', { class: 'page-head' }, h('h1', { text: title }), h('div', { class: 'page-actions' }, actions));
}

// ---- list ------------------------------------------------------------------------------------------------
function listRoute(params) {
  const stateFilter = WORKFLOW_STATES.includes(params.get('state')) ? params.get('state') : '';
  const select = h('select', {
    id: 'state-filter',
    class: 'vw-input',
    onchange: () => { location.hash = select.value ? `#/workflows?state=${select.value}` : '#/workflows'; },
  },
  h('option', { value: '', text: 'All states' }),
  WORKFLOW_STATES.map((state) => h('option', { value: state, selected: state === stateFilter, text: label(state) })));
  const body = h('div', { class: 'list-body', 'aria-live': 'polite' }, h('p', { class: 'vw-empty', text: 'Loading…' }));
  const refreshButton = h('button', { type: 'button', class: 'vw-button', text: 'Refresh', onclick: () => load() });
  replaceChildren(main,
    pageHead('Workflows',
      h('label', { class: 'inline-label', for: 'state-filter', text: 'State' }), select, refreshButton,
      h('a', { class: 'vw-button vw-button-primary', href: '#/new', text: 'New workflow' })),
    h('section', { class: 'vw-panel' }, body));

  let timer = null;
  let active = true;
  let shownKey = null;
  // Redraws only when the list changed, so the periodic refresh does not steal keyboard focus.
  function show(key, content) {
    if (!active || key === shownKey) return;
    shownKey = key;
    replaceChildren(body, content());
  }
  async function load() {
    clearTimeout(timer);
    try {
      const workflows = (await http.getJson(withQuery(`${API}/workflows`, { state: stateFilter || null })))?.workflows ?? [];
      show(JSON.stringify(workflows), () => workflowTable(workflows, stateFilter));
    } catch (error) {
      show(`error:${error.message}`, () => errorBox(error));
    }
    if (active) timer = setTimeout(load, LIST_REFRESH_MS);
  }
  load();
  return () => {
    active = false;
    clearTimeout(timer);
  };
}

function workflowTable(workflows, stateFilter) {
  if (workflows.length === 0) {
    return h('div', { class: 'empty-state' },
      h('p', { text: stateFilter ? `No ${label(stateFilter)} workflows.` : 'No workflows yet.' }),
      h('a', { class: 'vw-button vw-button-primary', href: '#/new', text: 'Create a workflow' }));
  }
  return h('div', { class: 'vw-table-wrap' }, h('table', { class: 'vw-steps workflow-table' },
    h('thead', {}, h('tr', {}, ['Requirement', 'State', 'Progress', 'Created', 'Duration'].map((text) => h('th', { scope: 'col', text })))),
    h('tbody', {}, workflows.map((workflow) => {
      const progress = workflow.progress ?? {};
      const percent = Math.max(0, Math.min(100, Number(progress.percent) || 0));
      const fill = h('div', { class: 'vw-progress-fill' });
      fill.style.width = `${percent}%`;
      return h('tr', { dataset: { workflowId: workflow.workflowId } },
        h('th', { scope: 'row' },
          h('a', {
            class: 'workflow-link', href: `#/workflows/${encodeURIComponent(workflow.workflowId)}`,
            title: workflow.requirement ?? '', text: workflow.requirement || '(no requirement)',
          }),
          h('span', { class: 'vw-step-type vw-mono', text: workflow.workflowId })),
        h('td', {}, h('span', { class: ['vw-badge', stateClass('vw-state-', workflow.state)], text: label(workflow.state) })),
        h('td', { class: 'progress-cell' },
          h('div', { class: ['vw-progress-track', stateClass('vw-state-', workflow.state)], role: 'progressbar', 'aria-valuenow': Math.round(percent), 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-label': 'Progress' }, fill),
          h('span', { class: 'vw-muted', text: `${progress.completedSteps ?? 0}/${progress.totalSteps ?? 0}` })),
        h('td', { class: 'vw-num', text: formatDateTime(workflow.createdAt) }),
        h('td', { class: 'vw-num', text: formatDuration(spanMs(workflow.startedAt, workflow.finishedAt)) }));
    }))));
}

// ---- create ----------------------------------------------------------------------------------------------
function field(id, labelText, control, hint) {
  const error = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  control.setAttribute('aria-describedby', `${id}-hint ${id}-error`);
  return {
    error,
    element: h('div', { class: 'field' },
      h('label', { for: id, text: labelText }), control, h('p', { class: 'field-hint', id: `${id}-hint`, text: hint }), error),
  };
}

function createRoute() {
  const requirement = h('textarea', { id: 'requirement', name: 'requirement', rows: 4, required: true, class: 'vw-input', placeholder: 'Implement user authentication with JWT tokens' });
  const context = h('textarea', { id: 'project-context', name: 'projectContext', rows: 4, class: 'vw-input vw-mono', placeholder: '{ "framework": "Express.js", "language": "TypeScript" }' });
  const start = h('input', { id: 'start', name: 'start', type: 'checkbox', checked: true });
  // Engine profiles are names the server's configuration defines; the list comes from the engine check, and the
  // field stays hidden on a server whose engines are fixed (404).
  const profile = h('select', { id: 'engine-profile', name: 'engineProfile', class: 'vw-input' },
    h('option', { value: '', text: 'Server default' }));
  const profileField = field('engine-profile', 'Engine profile', profile, 'Which configured engines analyse, write and validate the code.');
  profileField.element.hidden = true;
  http.getJson(`${API}/engines`).then((report) => {
    for (const entry of report.profiles ?? []) {
      const label = `${entry.name}${entry.default ? ' (default)' : ''}${entry.offline ? ' — offline, not AI' : ''}`;
      profile.append(h('option', { value: entry.name, text: label }));
    }
    profileField.element.hidden = false;
  }).catch(() => {});
  const repairRounds = h('input', { id: 'max-repair-rounds', name: 'maxRepairRounds', type: 'number', min: 0, max: 10, step: 1, class: 'vw-input', placeholder: '2' });
  const repairField = field('max-repair-rounds', 'Repair rounds (optional)', repairRounds, 'How often a task whose validation failed goes back to code generation with the failures; 0 never (default 2).');
  const requirementField = field('requirement', 'Requirement', requirement, 'What should be built, in plain words.');
  const contextField = field('project-context', 'Project context (JSON object, optional)', context, 'Framework, language, repository conventions… passed to every engine.');
  const formError = h('div', { class: 'vw-alert', role: 'alert', hidden: true });
  const submit = h('button', { type: 'submit', class: 'vw-button vw-button-primary', text: 'Create workflow' });
  const fields = {
    requirement: [requirement, requirementField.error],
    projectContext: [context, contextField.error],
    'options.engineProfile': [profile, profileField.error],
    'options.maxRepairRounds': [repairRounds, repairField.error],
  };

  function showErrors(fieldName, message) {
    for (const [control, error] of Object.values(fields)) {
      control.removeAttribute('aria-invalid');
      error.hidden = true;
    }
    formError.hidden = true;
    if (!message) return;
    const key = Object.keys(fields).find((name) => fieldName === name || fieldName?.startsWith(`${name}.`) || fieldName?.startsWith(`${name}[`));
    if (key) {
      const [control, error] = fields[key];
      control.setAttribute('aria-invalid', 'true');
      error.textContent = fieldName === key ? message : `${fieldName.slice(key.length + 1)}: ${message}`;
      error.hidden = false;
      control.focus();
    } else {
      formError.textContent = message;
      formError.hidden = false;
    }
  }

  const form = h('form', {
    class: 'vw-panel create-form',
    novalidate: true,
    onsubmit: async (event) => {
      event.preventDefault();
      showErrors(null, null);
      if (!requirement.value.trim()) {
        showErrors('requirement', 'Enter a requirement.');
        return;
      }
      let projectContext = {};
      if (context.value.trim()) {
        try {
          projectContext = JSON.parse(context.value);
        } catch (error) {
          showErrors('projectContext', `Not valid JSON: ${error.message}`);
          return;
        }
        if (projectContext === null || typeof projectContext !== 'object' || Array.isArray(projectContext)) {
          showErrors('projectContext', 'Must be a JSON object, like { "framework": "Express.js" }.');
          return;
        }
      }
      submit.disabled = true;
      try {
        const body = { requirement: requirement.value, projectContext, start: start.checked };
        const options = {};
        if (profile.value) options.engineProfile = profile.value;
        if (repairRounds.value.trim()) options.maxRepairRounds = Number(repairRounds.value);
        if (Object.keys(options).length) body.options = options;
        const created = await http.postJson(`${API}/workflows`, body);
        location.hash = `#/workflows/${encodeURIComponent(created.workflowId)}`;
      } catch (error) {
        showErrors(error.field, error.message);
      } finally {
        submit.disabled = false;
      }
    },
  },
  requirementField.element,
  contextField.element,
  profileField.element,
  repairField.element,
  h('div', { class: 'field field-inline' }, start, h('label', { for: 'start', text: 'Start immediately' })),
  formError,
  h('div', { class: 'form-actions' }, submit, h('a', { class: 'vw-button vw-button-quiet', href: '#/workflows', text: 'Cancel' })));
  replaceChildren(main, pageHead('New workflow'), form);
  requirement.focus();
}

// ---- detail ----------------------------------------------------------------------------------------------
function detailRoute(id) {
  const container = h('div', {
    dataset: {
      mode: 'server',
      statusUrl: workflowUrl(id),
      eventsUrl: `${workflowUrl(id)}/events`,
      streamUrl: `${workflowUrl(id)}/stream`,
      actionUrl: workflowUrl(id),
      patchesUrl: `${workflowUrl(id)}/patches`,
    },
  });
  replaceChildren(main, h('nav', { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h('a', { href: '#/workflows', text: '← All workflows' })), container);
  const view = mountWorkflowView(container);
  return () => view.destroy();
}

// ---- analytics -------------------------------------------------------------------------------------------
function analyticsRoute() {
  const body = h('div', { class: 'analytics' }, h('p', { class: 'vw-empty', text: 'Loading…' }));
  replaceChildren(main, pageHead('Analytics', h('button', { type: 'button', class: 'vw-button', text: 'Refresh', onclick: () => load() })), body);
  let active = true;
  async function load() {
    try {
      const analytics = await http.getJson(`${API}/analytics`);
      if (active) replaceChildren(body, analyticsContent(analytics ?? {}));
    } catch (error) {
      if (active) replaceChildren(body, errorBox(error));
    }
  }
  load();
  return () => { active = false; };
}

function card(title, value, note) {
  return h('div', { class: 'stat-card' }, h('span', { class: 'stat-title', text: title }),
    h('span', { class: 'stat-value', text: value }), note && h('span', { class: 'stat-note', text: note }));
}

function analyticsContent(a) {
  const outcomes = [
    { label: 'Completed', value: a.completedWorkflows ?? 0, className: 'vw-state-completed' },
    { label: 'Failed', value: a.failedWorkflows ?? 0, className: 'vw-state-failed' },
    { label: 'Cancelled', value: a.cancelledWorkflows ?? 0, className: 'vw-state-cancelled' },
    { label: 'Active', value: a.activeWorkflows ?? 0, className: 'vw-state-running' },
  ];
  const latency = Object.entries(a.stepLatency ?? {}).map(([type, stats]) => ({ label: label(type), values: stats ?? {}, count: stats?.count ?? 0 }));
  const series = [
    { key: 'p50Ms', label: 'p50', className: 'vc-s1' },
    { key: 'p90Ms', label: 'p90', className: 'vc-s2' },
    { key: 'p99Ms', label: 'p99', className: 'vc-s3' },
    { key: 'maxMs', label: 'max', className: 'vc-s4' },
  ];
  const successRate = Number(a.stepSuccessRate);
  const rateFill = h('div', { class: 'vw-progress-fill' });
  rateFill.style.width = `${Number.isFinite(successRate) ? Math.max(0, Math.min(1, successRate)) * 100 : 0}%`;
  return [
    h('div', { class: 'stat-grid' },
      card('Workflows', formatNumber(a.totalWorkflows ?? 0)),
      card('Active', formatNumber(a.activeWorkflows ?? 0)),
      card('Average duration', formatDuration(a.averageDurationMs)),
      card('Step success rate', formatPercent(successRate)),
      card('Retries', formatNumber(a.retries ?? 0)),
      card('Passed validation first time', formatPercent(Number(a.repair?.firstPassRate)),
        `${formatNumber(a.repair?.tasksPassedFirstTime ?? 0)} of ${formatNumber(a.repair?.tasksValidated ?? 0)} tasks`),
      card('Passed after repair', formatPercent(Number(a.repair?.repairSuccessRate)),
        `${formatNumber(a.repair?.tasksPassedAfterRepair ?? 0)} of ${formatNumber(a.repair?.tasksRepaired ?? 0)} repaired tasks, ${formatNumber(a.repair?.rounds ?? 0)} rounds`),
      card('Cost per repair round', `$${Number(a.repair?.costPerRoundUsd ?? 0).toFixed(4)}`,
        `${formatNumber(a.repair?.tokensPerRound ?? 0)} tokens per round, $${Number(a.repair?.repairUsage?.costUsd ?? 0).toFixed(4)} in all rounds`)),
    h('div', { class: 'chart-grid' },
      h('section', { class: 'vw-panel', 'aria-label': 'Outcomes' },
        h('h3', { text: 'Workflows by outcome' }),
        h('div', { class: 'chart', id: 'outcome-chart' }, horizontalBarChart(outcomes, { ariaLabel: outcomes.map((o) => `${o.label} ${o.value}`).join(', '), format: formatNumber }))),
      h('section', { class: 'vw-panel', 'aria-label': 'Step success rate' },
        h('h3', { text: 'Step success rate' }),
        h('p', { class: 'big-number', text: formatPercent(successRate) }),
        h('div', { class: 'vw-progress-track vw-state-completed rate-track', role: 'progressbar', 'aria-label': 'Step success rate', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': Math.round((successRate || 0) * 100) }, rateFill),
        h('p', { class: 'vw-muted', text: `${formatNumber(a.retries ?? 0)} retries across all workflows` }))),
    h('section', { class: 'vw-panel', 'aria-label': 'Step latency' },
      h('div', { class: 'vw-panel-head' }, h('h3', { text: 'Step latency by type' }),
        h('ul', { class: 'vw-legend chart-legend' }, series.map((entry) => h('li', { class: entry.className }, h('span', { class: 'vw-swatch', 'aria-hidden': 'true' }), entry.label)))),
      latency.length === 0 ? h('p', { class: 'vw-empty', text: 'No step has finished yet.' }) : [
        h('div', { class: 'chart', id: 'latency-chart' }, groupedBarChart(latency, series, { ariaLabel: 'Step latency percentiles by step type', format: formatDuration })),
        h('div', { class: 'vw-table-wrap' }, h('table', { class: 'vw-steps' },
          h('thead', {}, h('tr', {}, ['Step type', 'Count', ...series.map((entry) => entry.label)].map((text) => h('th', { scope: 'col', text })))),
          h('tbody', {}, latency.map((row) => h('tr', {},
            h('th', { scope: 'row', text: row.label }),
            h('td', { class: 'vw-num', text: formatNumber(row.count) }),
            series.map((entry) => h('td', { class: 'vw-num', text: formatDuration(row.values[entry.key]) })))))))],
    ),
  ];
}

// ---- token and routing -----------------------------------------------------------------------------------
function setUpTokenForm() {
  const form = document.getElementById('token-form');
  const input = document.getElementById('token-input');
  const state = document.getElementById('token-state');
  const show = () => {
    const set = Boolean(readToken());
    state.textContent = set ? 'Token set for this tab' : 'No token set';
    input.placeholder = set ? 'set (hidden)' : 'not set';
  };
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    writeToken(input.value.trim());
    input.value = '';
    show();
    route();
  });
  document.getElementById('token-clear').addEventListener('click', () => {
    writeToken(null);
    input.value = '';
    show();
    route();
  });
  show();
}

let leaveRoute = null;

function route() {
  leaveRoute?.();
  leaveRoute = null;
  const hash = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = hash.split('?');
  let segments;
  try {
    segments = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    segments = []; // a malformed link falls back to the list
  }
  let current = 'workflows';
  if (segments[0] === 'workflows' && segments[1]) {
    leaveRoute = detailRoute(segments[1]);
  } else if (segments[0] === 'new') {
    current = 'new';
    createRoute();
  } else if (segments[0] === 'analytics') {
    current = 'analytics';
    leaveRoute = analyticsRoute();
  } else if (segments[0] === 'webhooks') {
    current = 'webhooks';
    leaveRoute = webhooksRoute({ main, http, api: API, pageHead, errorBox });
  } else {
    leaveRoute = listRoute(new URLSearchParams(query));
  }
  for (const link of document.querySelectorAll('.app-nav a')) {
    if (link.dataset.route === current) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

setUpTokenForm();
window.addEventListener('hashchange', route);
route();
