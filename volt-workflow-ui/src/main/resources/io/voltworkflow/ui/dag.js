// The workflow DAG as SVG: layers by dependency depth, ordered within a layer to keep edges short. Layers run
// left to right; a deep and narrow graph (a chain of dependent tasks) runs top to bottom instead, so it scrolls
// vertically rather than becoming many screens wide.

import { s, truncate } from './dom.js';
import { label, repairRoundText, stateClass } from './format.js';

const NODE_WIDTH = 212;
const NODE_HEIGHT = 48;
const COLUMN_GAP = 64;
const ROW_GAP = 14;
const PADDING = 16;
const NAME_CHARS = 29;
const CENTRE_UP_TO_ROWS = 8;
const LAYER_GAP_VERTICAL = 34;
const SIBLING_GAP_VERTICAL = 24;
const VERTICAL_FROM_LAYERS = 7;

let markerCounter = 0;

/**
 * The task each per-task step works on, from the plans of the task creation steps: the standard plan names a
 * task's steps "Generate Code for Task <id>" and "Validate Task <id>". Returns step name → { id, title }.
 */
export function taskTitles(steps) {
  const tasks = new Map();
  for (const step of steps) {
    if (step.type !== 'task_creation') continue;
    const planned = step.output?.tasks;
    if (!Array.isArray(planned)) continue;
    for (const task of planned) {
      if (task === null || typeof task !== 'object') continue;
      const id = String(task.id ?? '');
      const title = typeof task.title === 'string' ? task.title.trim() : '';
      if (!id || !title) continue;
      tasks.set(`Generate Code for Task ${id}`, { id, title });
      tasks.set(`Validate Task ${id}`, { id, title });
    }
  }
  return tasks;
}

/**
 * Depth of a step = 1 + the deepest of its dependencies (roots are 0). Unknown dependency names are ignored and a
 * cycle (invalid, but the page must still render) is cut where it is found.
 */
function depths(steps) {
  const byName = new Map(steps.map((step) => [step.name, step]));
  const depthOf = new Map();
  const visiting = new Set();
  function visit(step) {
    if (depthOf.has(step.name)) return depthOf.get(step.name);
    if (visiting.has(step.name)) return -1;
    visiting.add(step.name);
    let depth = 0;
    for (const dependency of step.dependencies ?? []) {
      const parent = byName.get(dependency);
      if (parent) depth = Math.max(depth, visit(parent) + 1);
    }
    visiting.delete(step.name);
    depthOf.set(step.name, depth);
    return depth;
  }
  steps.forEach(visit);
  return depthOf;
}

/**
 * Lays out the steps: returns nodes (step, x, y), edges (from, to node) and the drawing size. The node order
 * (column by column, top to bottom) is also the reading order used by the timeline.
 */
export function layoutDag(steps) {
  const depthOf = depths(steps);
  const columns = [];
  steps.forEach((step, index) => {
    const depth = depthOf.get(step.name);
    (columns[depth] ??= []).push({ step, index });
  });
  const rowOf = new Map();
  columns.forEach((column, depth) => {
    if (depth > 0) {
      // Barycenter ordering: place each step near the average row of its dependencies.
      const weight = ({ step, index }) => {
        const rows = (step.dependencies ?? []).filter((name) => rowOf.has(name)).map((name) => rowOf.get(name));
        return rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : index;
      };
      column.sort((a, b) => weight(a) - weight(b) || a.index - b.index);
    }
    column.forEach(({ step }, row) => rowOf.set(step.name, row));
  });
  const tallest = Math.max(1, ...columns.map((column) => column.length));
  const vertical = columns.length >= VERTICAL_FROM_LAYERS && columns.length > 2 * tallest;
  // Small graphs read best centred; tall ones start at the top so the first steps are in view without scrolling.
  const centred = vertical || tallest <= CENTRE_UP_TO_ROWS;
  const across = vertical ? NODE_WIDTH + SIBLING_GAP_VERTICAL : NODE_HEIGHT + ROW_GAP;
  const along = vertical ? NODE_HEIGHT + LAYER_GAP_VERTICAL : NODE_WIDTH + COLUMN_GAP;
  const nodes = [];
  const nodeByName = new Map();
  columns.forEach((column, depth) => {
    const offset = centred ? ((tallest - column.length) * across) / 2 : 0;
    column.forEach(({ step }, position) => {
      const layerCoordinate = PADDING + depth * along;
      const positionCoordinate = PADDING + offset + position * across;
      const node = vertical
        ? { step, x: positionCoordinate, y: layerCoordinate }
        : { step, x: layerCoordinate, y: positionCoordinate };
      nodes.push(node);
      nodeByName.set(step.name, node);
    });
  });
  const edges = [];
  for (const node of nodes) {
    for (const dependency of node.step.dependencies ?? []) {
      const from = nodeByName.get(dependency);
      if (from && from !== node) edges.push({ from, to: node });
    }
  }
  const layersLength = PADDING * 2 + columns.length * along - (along - (vertical ? NODE_HEIGHT : NODE_WIDTH));
  const acrossLength = PADDING * 2 + tallest * across - (across - (vertical ? NODE_WIDTH : NODE_HEIGHT));
  return {
    nodes,
    edges,
    vertical,
    width: vertical ? acrossLength : layersLength,
    height: vertical ? layersLength : acrossLength,
  };
}

/** A smooth edge from the end of one node to the start of the next, in the layout's direction. */
function edgePath(from, to, vertical) {
  if (vertical) {
    const x1 = from.x + NODE_WIDTH / 2;
    const y1 = from.y + NODE_HEIGHT;
    const x2 = to.x + NODE_WIDTH / 2;
    const y2 = to.y - 2;
    const bend = Math.max(16, (y2 - y1) / 2);
    return `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`;
  }
  const x1 = from.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x - 2;
  const y2 = to.y + NODE_HEIGHT / 2;
  const bend = Math.max(24, (x2 - x1) / 2);
  return `M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`;
}

function nodeCaption(step, task) {
  const parts = [task ? `${label(step.type)} ${task.id}` : label(step.type), label(step.state)];
  if ((step.repairRound ?? 0) > 0) parts.push(`repair ${step.repairRound}/${step.maxRepairRounds ?? '?'}`);
  if ((step.attempts ?? 0) > 1) parts.push(`try ${step.attempts}/${step.maxAttempts ?? '?'}`);
  return parts.join(' · ');
}

/** Sizes the drawing for a zoom factor; the view box keeps the layout's coordinates. */
export function zoomDag(svg, layout, zoom) {
  svg.setAttribute('width', String(Math.max(1, Math.round(layout.width * zoom))));
  svg.setAttribute('height', String(Math.max(1, Math.round(layout.height * zoom))));
}

/**
 * Renders the laid-out DAG at a zoom factor. A step of a task shows the task's title, its step name stays in the
 * tooltip and the accessible name. onSelect(stepName) is called when a node is clicked or activated with the
 * keyboard.
 */
export function renderDag(layout, { onSelect, selectedStep, zoom = 1 }) {
  const markerId = `vw-arrow-${++markerCounter}`;
  const tasks = taskTitles(layout.nodes.map((node) => node.step));
  const svg = s('svg', {
    class: ['vw-dag-svg', layout.vertical && 'vw-dag-vertical'],
    viewBox: `0 0 ${layout.width} ${layout.height}`,
    role: 'group',
    'aria-label': `Workflow graph with ${layout.nodes.length} steps`,
  });
  zoomDag(svg, layout, zoom);
  svg.append(s('defs', {},
    s('marker', { id: markerId, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      s('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'vw-arrow' }))));
  const edgeLayer = s('g', { class: 'vw-edges' });
  for (const { from, to } of layout.edges) {
    edgeLayer.append(s('path', {
      class: ['vw-edge', from.step.state === 'completed' && 'vw-edge-done'],
      d: edgePath(from, to, layout.vertical),
      'marker-end': `url(#${markerId})`,
    }));
  }
  const nodeLayer = s('g', { class: 'vw-nodes' });
  for (const { step, x, y } of layout.nodes) {
    const task = tasks.get(step.name);
    const caption = nodeCaption(step, task);
    const heading = task ? task.title : step.name;
    const select = () => onSelect(step.name);
    const node = s('g', {
      class: ['vw-node', stateClass('vw-step-', step.state), step.name === selectedStep && 'vw-selected'],
      transform: `translate(${x} ${y})`,
      tabindex: 0,
      role: 'button',
      'aria-label': task ? `${step.name}, ${task.title}: ${caption}` : `${step.name}: ${caption}`,
      dataset: { step: step.name, state: step.state ?? '' },
      onclick: select,
      onkeydown: (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          select();
        }
      },
    },
    s('title', { text: `${task ? `${task.title}\n` : ''}${step.name} — ${caption}${repairRoundText(step) ? ` (${repairRoundText(step)})` : ''}` }),
    s('rect', { class: 'vw-node-box', width: NODE_WIDTH, height: NODE_HEIGHT, rx: 8, ry: 8 }),
    s('rect', { class: 'vw-node-stripe', width: 5, height: NODE_HEIGHT - 12, x: 7, y: 6, rx: 2.5 }),
    s('text', { class: 'vw-node-name', x: 20, y: 20, text: truncate(heading, NAME_CHARS) }),
    s('text', { class: 'vw-node-caption', x: 20, y: 37, text: truncate(caption, NAME_CHARS + 4) }));
    nodeLayer.append(node);
  }
  svg.append(edgeLayer, nodeLayer);
  return svg;
}
