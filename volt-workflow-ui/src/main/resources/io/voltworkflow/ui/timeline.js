// Gantt chart of step durations: one row per step (in DAG reading order), bars from startedAt to finishedAt;
// running steps extend to now.

import { s, truncate } from './dom.js';
import { formatDuration, label, parseTime, repairRoundText, stateClass } from './format.js';

const LABEL_WIDTH = 210;
const VALUE_WIDTH = 84;
const ROW_HEIGHT = 24;
const AXIS_HEIGHT = 26;
const MAX_TICKS = 6;

/**
 * @param {object[]} steps the steps in display order
 * @param {number} width the available width in pixels
 * @param {number} now the current time (ms since epoch) for running steps
 * @returns {SVGElement|null} null when no step has started yet
 */
export function renderTimeline(steps, width, now) {
  const spans = steps.map((step) => {
    const start = parseTime(step.startedAt);
    const end = start === null ? null : (parseTime(step.finishedAt) ?? Math.max(start, now));
    return { step, start, end };
  });
  const started = spans.filter((span) => span.start !== null);
  if (started.length === 0) return null;
  const origin = Math.min(...started.map((span) => span.start));
  const total = Math.max(1, Math.max(...started.map((span) => span.end)) - origin);
  const chartWidth = Math.max(160, width - LABEL_WIDTH - VALUE_WIDTH);
  const height = AXIS_HEIGHT + spans.length * ROW_HEIGHT + 4;
  const scale = (ms) => LABEL_WIDTH + ((ms - origin) / total) * chartWidth;

  const svg = s('svg', {
    class: 'vw-timeline-svg',
    width: LABEL_WIDTH + chartWidth + VALUE_WIDTH,
    height,
    role: 'img',
    'aria-label': `Timeline of ${started.length} started steps over ${formatDuration(total)}`,
  });
  const axis = s('g', { class: 'vw-axis' });
  const step = tickStep(total);
  for (let tick = 0; tick <= total; tick += step) {
    const x = scale(origin + tick);
    axis.append(
      s('line', { class: 'vw-gridline', x1: x, x2: x, y1: AXIS_HEIGHT - 6, y2: height }),
      s('text', { class: 'vw-tick', x, y: AXIS_HEIGHT - 10, 'text-anchor': tick === 0 ? 'start' : 'middle',
        text: tick === 0 ? '0' : `+${formatDuration(tick)}` }));
  }
  svg.append(axis);
  spans.forEach(({ step, start, end }, row) => {
    const y = AXIS_HEIGHT + row * ROW_HEIGHT;
    const group = s('g', { class: ['vw-lane', stateClass('vw-step-', step.state)], dataset: { step: step.name } },
      s('title', { text: `${step.name}: ${label(step.state)}${start === null ? '' : `, ${formatDuration(end - start)}`}`
        + (repairRoundText(step) ? `, ${repairRoundText(step)}` : '') }),
      s('text', { class: 'vw-lane-label', x: LABEL_WIDTH - 10, y: y + 16, 'text-anchor': 'end', text: truncate(step.name, 30) }));
    if (start === null) {
      group.append(s('text', { class: 'vw-lane-pending', x: LABEL_WIDTH + 4, y: y + 16, text: label(step.state) }));
    } else {
      const x = scale(start);
      const barWidth = Math.max(3, scale(end) - x);
      group.append(
        s('rect', { class: 'vw-bar', x, y: y + 5, width: barWidth, height: ROW_HEIGHT - 10, rx: 3 }),
        s('text', { class: 'vw-bar-value', x: x + barWidth + 6, y: y + 16, text: formatDuration(end - start) }));
    }
    svg.append(group);
  });
  return svg;
}

/** A round tick spacing (1, 2 or 5 × 10^n ms, or whole minutes) giving at most MAX_TICKS intervals. */
function tickStep(totalMs) {
  const raw = totalMs / MAX_TICKS;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= raw);
  return step >= 60000 ? Math.ceil(step / 60000) * 60000 : step;
}
