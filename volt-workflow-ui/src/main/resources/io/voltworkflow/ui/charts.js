// Small SVG charts for the analytics page. Each chart scales with its container (viewBox) and carries an
// aria-label; the page also shows the numbers as text.

import { s, truncate } from './dom.js';

const BAR_CHART_WIDTH = 640;

/**
 * Horizontal bars, one per item: [{ label, value, className }].
 */
export function horizontalBarChart(items, { ariaLabel, format = String }) {
  const rowHeight = 34;
  const labelWidth = 130;
  const valueWidth = 70;
  const height = items.length * rowHeight + 8;
  const max = Math.max(1, ...items.map((item) => item.value));
  const svg = s('svg', { class: 'vc-chart', viewBox: `0 0 ${BAR_CHART_WIDTH} ${height}`, role: 'img', 'aria-label': ariaLabel });
  items.forEach((item, row) => {
    const y = 4 + row * rowHeight;
    const width = ((BAR_CHART_WIDTH - labelWidth - valueWidth) * item.value) / max;
    svg.append(s('g', { class: ['vc-row', item.className] },
      s('text', { class: 'vc-label', x: labelWidth - 10, y: y + 20, 'text-anchor': 'end', text: item.label }),
      s('rect', { class: 'vc-track', x: labelWidth, y: y + 6, width: BAR_CHART_WIDTH - labelWidth - valueWidth, height: 20, rx: 4 }),
      s('rect', { class: 'vc-bar', x: labelWidth, y: y + 6, width: Math.max(item.value > 0 ? 3 : 0, width), height: 20, rx: 4 }),
      s('text', { class: 'vc-value', x: labelWidth + Math.max(3, width) + 8, y: y + 20, text: format(item.value) })));
  });
  return svg;
}

/**
 * Grouped vertical bars: groups [{ label, values: { seriesKey: number } }], series [{ key, label, className }].
 */
export function groupedBarChart(groups, series, { ariaLabel, format = String }) {
  const width = 960;
  const height = 300;
  const top = 16;
  const bottom = 48;
  const left = 64;
  const plotHeight = height - top - bottom;
  const plotWidth = width - left - 8;
  const max = Math.max(1, ...groups.flatMap((group) => series.map((entry) => group.values[entry.key] ?? 0)));
  const niceMax = niceCeiling(max);
  const svg = s('svg', { class: 'vc-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': ariaLabel });
  for (let i = 0; i <= 4; i++) {
    const value = (niceMax * i) / 4;
    const y = top + plotHeight - (plotHeight * i) / 4;
    svg.append(
      s('line', { class: 'vc-grid', x1: left, x2: width - 8, y1: y, y2: y }),
      s('text', { class: 'vc-tick', x: left - 8, y: y + 4, 'text-anchor': 'end', text: format(value) }));
  }
  const groupWidth = plotWidth / Math.max(1, groups.length);
  const barWidth = Math.min(28, (groupWidth - 16) / series.length);
  groups.forEach((group, index) => {
    const groupX = left + index * groupWidth + (groupWidth - barWidth * series.length) / 2;
    const g = s('g', { class: 'vc-group', dataset: { group: group.label } });
    series.forEach((entry, position) => {
      const value = group.values[entry.key] ?? 0;
      const barHeight = (plotHeight * value) / niceMax;
      g.append(s('rect', {
        class: ['vc-bar', entry.className], x: groupX + position * barWidth + 1, y: top + plotHeight - barHeight,
        width: Math.max(1, barWidth - 2), height: barHeight, rx: 2,
      }, s('title', { text: `${group.label} ${entry.label}: ${format(value)}` })));
    });
    g.append(s('text', {
      class: 'vc-label', x: left + index * groupWidth + groupWidth / 2, y: top + plotHeight + 20, 'text-anchor': 'middle',
      text: truncate(group.label, Math.max(6, Math.floor(groupWidth / 7))),
    }));
    svg.append(g);
  });
  return svg;
}

/** 1, 2, 2.5 or 5 times a power of ten, at least value. */
function niceCeiling(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= value);
}
